"""Customers and AR invoices for cash-application tests."""

from decimal import Decimal

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.parties.models import BankAccount
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory


def customer(name="Acme Retail BV", iban="NL02RABO0123456789"):
    party = PartyFactory(name=name, is_vendor=False, is_customer=True)
    if iban:
        BankAccount.objects.create(party=party, iban=iban, holder_name=name)
    ContactFactory(party=party, email=f"ar@{name.split()[0].lower()}.example", is_primary=True)
    return party


def ar_invoice(party, number, amount="1210.00", **kwargs):
    amount = Decimal(amount)
    return InvoiceFactory(
        direction=Direction.RECEIVABLE,
        party=party,
        number=number,
        total_amount=amount,
        amount_payable=amount,
        amount_open=amount,
        net_amount=amount,
        tax_amount=Decimal("0"),
        status=Invoice.Status.ISSUED,
        **kwargs,
    )
