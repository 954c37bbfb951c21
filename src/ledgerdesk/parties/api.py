from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from ledgerdesk.parties.models import Party

router = Router(tags=["parties"])


class ContactOut(Schema):
    id: int
    name: str
    role: str
    email: str
    phone: str
    preferred_channel: str
    language: str
    time_zone: str
    is_primary: bool


class PartyOut(Schema):
    id: int
    name: str
    tax_id: str
    external_id: str
    is_vendor: bool
    is_customer: bool
    default_currency: str
    payment_terms_days: int
    criticality: str
    country: str


class PartyDetailOut(PartyOut):
    contacts: list[ContactOut] = Field(..., alias="contact_list")


@router.get("", response=list[PartyOut])
@paginate(PageNumberPagination, page_size=50)
def list_parties(request, q: str = "", kind: str = ""):
    parties = Party.objects.search(q).order_by("name", "id")
    if kind == "vendor":
        parties = parties.vendors()
    elif kind == "customer":
        parties = parties.customers()
    return parties


@router.get("/{int:party_id}", response=PartyDetailOut)
def get_party(request, party_id: int):
    party = get_object_or_404(Party, pk=party_id)
    party.contact_list = list(party.contacts.all())
    return party
