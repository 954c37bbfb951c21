from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core import audit
from ledgerdesk.creditcontrol import services
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party


class Command(BaseCommand):
    help = (
        "Record a credit we owe a customer (tax charged in error, an overpayment, an unapplied "
        "credit): opens a proactive case and tells the customer before they notice."
    )

    def add_arguments(self, parser):
        parser.add_argument("party", help="the party's id or ERP id")
        parser.add_argument("kind", choices=["tax_error", "overpayment", "unapplied"])
        parser.add_argument("amount")
        parser.add_argument("source", help="the invoice number or payment reference")
        parser.add_argument("--currency", help="default: the invoice's, else the party's")

    def handle(self, **o):
        party = Party.objects.filter(external_id=o["party"]).first()
        if party is None and o["party"].isdigit():
            party = Party.objects.filter(pk=int(o["party"])).first()
        if party is None:
            raise CommandError(f"party: no party with id or ERP id {o['party']!r}")
        try:
            amount = Decimal(o["amount"])
        except InvalidOperation:
            raise CommandError(f"amount: {o['amount']!r} is not an amount") from None
        invoice = Invoice.objects.receivable().filter(party=party, number=o["source"]).first()
        currency = o["currency"] or (invoice.currency if invoice else party.default_currency)
        try:
            with audit.acting_as(label="record-credit"):
                credit, created = services.record_credit(
                    party,
                    kind=o["kind"],
                    amount=amount,
                    currency=currency,
                    source_reference=o["source"],
                    invoice=invoice,
                )
        except CreditControlError as exc:
            raise CommandError(str(exc)) from None
        if created:
            self.stdout.write(f"Recorded {credit}; case {credit.case.reference} told the customer")
        else:
            self.stdout.write(f"Already recorded: {credit}; nothing sent")
