from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from ledgerdesk.ledger.models import Invoice, Payment

router = Router(tags=["ledger"])


class InvoiceOut(Schema):
    id: int
    party_id: int
    party_name: str
    direction: str
    kind: str
    number: str
    issue_date: date
    due_date: date | None
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    amount_payable: Decimal
    amount_open: Decimal
    status: str
    hold_reason: str
    scheduled_payment_date: date | None
    po_reference: str

    @staticmethod
    def resolve_party_name(obj):
        return obj.party.name


class LineOut(Schema):
    position: int
    line_id: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal | None
    net_amount: Decimal
    tax_rate: Decimal | None


class StatusChangeOut(Schema):
    status: str
    at: datetime
    by_label: str
    note: str


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_history(obj):
        return list(obj.history.all())


class PaymentOut(Schema):
    id: int
    party_id: int
    direction: str
    date: date
    amount: Decimal
    currency: str
    method: str
    reference: str


@router.get("/invoices", response=list[InvoiceOut])
@paginate(PageNumberPagination, page_size=50)
def list_invoices(
    request, direction: str = "", status: str = "", party: int | None = None, number: str = ""
):
    invoices = Invoice.objects.select_related("party").order_by("-issue_date", "-id")
    if direction:
        invoices = invoices.filter(direction=direction)
    if status:
        invoices = invoices.filter(status=status)
    if party is not None:
        invoices = invoices.filter(party_id=party)
    if number:
        invoices = invoices.filter(number=number)
    return invoices


@router.get("/invoices/{int:invoice_id}", response=InvoiceDetailOut)
def get_invoice(request, invoice_id: int):
    return get_object_or_404(
        Invoice.objects.select_related("party").prefetch_related("lines", "history"),
        pk=invoice_id,
    )


@router.get("/payments", response=list[PaymentOut])
@paginate(PageNumberPagination, page_size=50)
def list_payments(request, party: int | None = None, direction: str = ""):
    payments = Payment.objects.order_by("-date", "-id")
    if party is not None:
        payments = payments.filter(party_id=party)
    if direction:
        payments = payments.filter(direction=direction)
    return payments
