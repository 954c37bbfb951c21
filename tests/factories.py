"""factory_boy factories shared by the suite."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ledgerdesk.ledger.models import Direction, Invoice, Payment
from ledgerdesk.parties.models import Contact, Party


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@hub.example")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Morgan"
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    tax_id = factory.Sequence(lambda n: f"NL{n:09d}B01")
    is_vendor = True
    is_customer = False
    default_currency = "EUR"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    party = factory.SubFactory(PartyFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@vendor.example")


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    direction = Direction.PAYABLE
    party = factory.SubFactory(PartyFactory)
    number = factory.Sequence(lambda n: f"INV-{n:05d}")
    issue_date = datetime.date(2026, 10, 1)
    due_date = datetime.date(2026, 10, 31)
    currency = "EUR"
    net_amount = Decimal("1000.00")
    tax_amount = Decimal("210.00")
    total_amount = Decimal("1210.00")
    amount_payable = Decimal("1210.00")
    amount_open = Decimal("1210.00")
    status = Invoice.Status.RECEIVED


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    direction = Direction.PAYABLE
    party = factory.SubFactory(PartyFactory)
    date = datetime.date(2026, 11, 2)
    amount = Decimal("1210.00")
    currency = "EUR"
    reference = factory.Sequence(lambda n: f"PAY-{n:05d}")
