"""The checks on vendor bills: routing, approvals near a deadline, mismatches, duplicates,
payments that came back, and vendors whose bills keep tripping the same check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils import timezone

from ledgerdesk.core.money import Money
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.watch.checks.base import Check, Found, Settings, Threshold
from ledgerdesk.watch.dates import business_days_before, long_date

S = Invoice.Status
OPEN_BILL = ~Q(invoice__status__in=Invoice.CLOSED_STATUSES)


def _amount(invoice: Invoice) -> str:
    return Money(invoice.total_amount, invoice.currency).format()


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "the approver"


def _local_day(moment: dt.datetime) -> str:
    return long_date(timezone.localdate(moment))


class NotRouted(Check):
    name = "not_routed"
    title = "Received but not routed for approval"
    description = (
        "A vendor bill still in status received, not sent to an approver nor held, after "
        "more than the set number of business days."
    )
    category = "payment_status"
    thresholds = {"days": Threshold(3, "Business days a bill may wait to be routed.", 1, 60)}
    subject_template = "Invoice {number} from {vendor} is not yet routed for approval"
    what_happened = (
        "What happened: invoice {number} from {vendor} arrived on {received} and is still "
        "not routed for approval, which is longer than our target of {days} business days."
    )
    what_we_do = (
        "What we are doing: we will send it to the right approver, or put it on hold with "
        "the reason, by {reply_by}."
    )
    prevention = (
        "To make sure this does not happen again, the watch now checks every hour for bills "
        "that wait to be routed, and we will add an approval rule where none fits."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        cutoff_day = business_days_before(settings.today, settings["days"], settings.holidays)
        cutoff = dt.datetime.combine(cutoff_day, dt.time.min, tzinfo=dt.UTC)
        # invoice_dir_status_idx: direction and status lead the index.
        bills = Invoice.objects.filter(
            direction=Direction.PAYABLE,
            status=S.RECEIVED,
            status_changed_at__lt=cutoff,
            duplicate_of__isnull=True,
        ).select_related("party")
        for bill in bills.iterator(chunk_size=2000):
            yield Found(
                key=f"invoice:{bill.pk}",
                summary=f"Invoice {bill.number} of {bill.party} not routed since "
                f"{timezone.localdate(bill.status_changed_at):%d %b %Y}",
                party=bill.party,
                invoice=bill,
                subject=bill,
                kind="not_routed",
                facts={"received": _local_day(bill.status_changed_at)},
            )


class ApprovalNearDue(Check):
    name = "approval_near_due"
    title = "Approval pending close to the due or discount date"
    description = (
        "An approval step still waiting while the bill's due date, or the last day of its "
        "early-payment discount, is within the set number of days (or already passed)."
    )
    category = "payment_status"
    thresholds = {
        "days": Threshold(5, "Days before the due or discount date to raise it.", 0, 90),
    }
    subject_template = "Invoice {number} from {vendor} still needs approval before {deadline}"
    what_happened = (
        "What happened: invoice {number} from {vendor} ({amount}) has waited for approval by "
        "{approver} since {asked}, and its {deadline_label} is {deadline}."
    )
    what_we_do = (
        "What we are doing: we have asked {approver} again, and we will release the invoice "
        "for payment by {reply_by}, or tell {vendor} why not."
    )
    prevention = (
        "To make sure this does not happen again, approvals that sit are now raised to the "
        "team {days} days before the due or discount date."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        from ledgerdesk.payables.models import ApprovalStep

        horizon = settings.today + dt.timedelta(days=settings["days"])
        near_due = Q(invoice__due_date__lte=horizon)
        near_discount = Q(
            invoice__discount_amount__gt=0,
            invoice__discount_until__gte=settings.today,
            invoice__discount_until__lte=horizon,
        )
        # payables_step_state_idx: pending steps first, then the invoice by its key.
        steps = (
            ApprovalStep.objects.filter(state=ApprovalStep.State.PENDING)
            .filter(near_due | near_discount)
            .filter(OPEN_BILL)
            .select_related("invoice__party", "approver")
            .order_by("invoice_id", "level")
        )
        seen: set[int] = set()
        for step in steps.iterator(chunk_size=2000):
            bill = step.invoice
            if bill.pk in seen:  # two parallel steps on one bill: one finding
                continue
            seen.add(bill.pk)
            discount = (
                bill.discount_amount > 0
                and bill.discount_until is not None
                and settings.today <= bill.discount_until <= horizon
                and (bill.due_date is None or bill.discount_until <= bill.due_date)
            )
            deadline = bill.discount_until if discount else bill.due_date
            yield Found(
                key=f"invoice:{bill.pk}",
                summary=f"Invoice {bill.number} of {bill.party} waits for "
                f"{_person(step.approver)}; {'discount' if discount else 'due'} {deadline}",
                party=bill.party,
                invoice=bill,
                subject=step,
                kind="approval",
                facts={
                    "amount": _amount(bill),
                    "approver": _person(step.approver),
                    "asked": _local_day(step.requested_at) if step.requested_at else "today",
                    "deadline_label": "last day for the early-payment discount"
                    if discount
                    else "due date",
                    "deadline": long_date(deadline) if deadline else "not set",
                },
            )


class Mismatch(Check):
    name = "mismatch"
    title = "Price or quantity mismatch"
    description = (
        "A bill whose last match against its order and receipts found a price or quantity "
        "difference beyond tolerance, or billed goods not yet received."
    )
    category = "dispute"
    vendor_facing = True
    KINDS = ("price", "quantity", "not_received")
    subject_template = "Invoice {number}: a difference from our order"
    what_happened = (
        "What happened: we checked invoice {number} against our order {order} and what we "
        "received, and found this difference:\n{differences}"
    )
    what_we_do = (
        "What we are doing: the invoice is on hold while our buyer checks the order and the "
        "delivery. We will release it for payment, or ask you for a credit note for the "
        "difference, by {reply_by}."
    )
    prevention = (
        "To make sure this does not happen again, it helps us most when each invoice shows "
        "our order number and the prices and quantities of that order and its delivery note. "
        "If a price has changed, send us the new price list and we will update the order "
        "before you invoice."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        from ledgerdesk.payables.models import InvoiceMatch

        of_interest = Q()
        for kind in self.KINDS:
            of_interest |= Q(kinds__contains=kind)
        # payables_match_status_idx: mismatches are a small slice of all matches.
        matches = (
            InvoiceMatch.objects.filter(status=InvoiceMatch.Status.MISMATCH)
            .filter(of_interest)
            .filter(OPEN_BILL)
            .select_related("invoice__party", "order")
        )
        for match in matches.iterator(chunk_size=2000):
            bill = match.invoice
            kinds = [k for k in match.kinds.split(",") if k in self.KINDS]
            lines = [
                f"- {f['message']}"
                for f in match.findings
                if not f.get("within_tolerance") and f.get("kind") in self.KINDS
            ]
            yield Found(
                key=f"invoice:{bill.pk}",
                summary=f"Invoice {bill.number} of {bill.party}: {', '.join(kinds)} mismatch",
                party=bill.party,
                invoice=bill,
                subject=match,
                kind=kinds[0] if kinds else "mismatch",
                facts={
                    "order": match.order.number if match.order else bill.po_reference or "",
                    "differences": "\n".join(lines) or "- " + ", ".join(kinds),
                    "kinds": kinds,
                },
            )


class SuspectedDuplicate(Check):
    name = "duplicate"
    title = "Suspected duplicate bill"
    description = (
        "A bill that looks like one we already hold (the same or a near-same number, amount "
        "or date) and that nobody has decided on yet."
    )
    category = "other"
    vendor_facing = True
    thresholds = {
        "min_score": Threshold(50, "Lowest likeness, in percent, to raise it.", 0, 100),
    }
    subject_template = "Invoice {number}: we may have received it twice"
    what_happened = (
        "What happened: invoice {number} of {date} for {amount} looks like invoice {earlier} "
        "of {earlier_date}, which we already hold ({reasons})."
    )
    what_we_do = (
        "What we are doing: we will pay it only once. Our team is comparing the two and will "
        "confirm by {reply_by} whether they are one invoice or two, so nothing is paid twice "
        "and nothing is left unpaid."
    )
    prevention = (
        "To make sure this does not happen again, it helps to send each invoice once and to "
        "one address; for a reminder, a statement of your open invoices works best."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        from decimal import Decimal

        from ledgerdesk.payables.models import SuspectedDuplicate as Suspicion

        # payables_suspicion_idx: open suspicions lead the index.
        rows = (
            Suspicion.objects.filter(
                decision=Suspicion.Decision.OPEN,
                score__gte=Decimal(settings["min_score"]) / 100,
            )
            .filter(OPEN_BILL)
            .select_related("invoice__party", "earlier")
        )
        for row in rows.iterator(chunk_size=2000):
            bill = row.invoice
            yield Found(
                key=f"suspicion:{row.pk}",
                summary=f"Invoice {bill.number} of {bill.party} may repeat {row.earlier.number}",
                party=bill.party,
                invoice=bill,
                subject=row,
                kind="duplicate",
                facts={
                    "date": long_date(bill.issue_date),
                    "amount": _amount(bill),
                    "earlier": row.earlier.number,
                    "earlier_date": long_date(row.earlier.issue_date),
                    "reasons": row.reasons.lower() or "the same amount and date",
                },
            )


class PaymentReturned(Check):
    name = "payment_returned"
    title = "Payment run failed or returned"
    description = (
        "A vendor payment of a recent payment run that the bank returned, or that was in a "
        "run that failed as a whole."
    )
    category = "payment_status"
    vendor_facing = True
    thresholds = {
        "days": Threshold(30, "How far back to look at payment runs, in days.", 1, 365),
    }
    subject_template = "Your payment for invoice {number} is on its way again"
    what_happened = (
        "What happened: our payment of {amount} for invoice {number}, sent in our payment run "
        "of {run_date}, {how}."
    )
    what_we_do = (
        "What we are doing: we are checking the bank details we hold for you, and we will "
        "pay the invoice again by {reply_by}. If we need anything from you, we will call the "
        "contact we have on file first."
    )
    prevention = (
        "To make sure this does not happen again, we now double-check the bank details of "
        "every returned payment before the next payment run uses them."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        from ledgerdesk.payables.models import PaymentRun, PaymentRunItem

        since = settings.today - dt.timedelta(days=settings["days"])
        Item = PaymentRunItem.Status
        # payables_run_status_idx finds the failed runs; payables_item_invoice_idx the items.
        items = (
            PaymentRunItem.objects.filter(run__run_date__gte=since)
            .filter(
                Q(status=Item.RETURNED)
                | (Q(run__status=PaymentRun.Status.FAILED) & ~Q(status=Item.REMOVED))
            )
            .select_related("run", "invoice__party")
        )
        for item in items.iterator(chunk_size=2000):
            bill = item.invoice
            returned = item.status == Item.RETURNED
            reason = (item.return_reason if returned else item.run.failure_reason) or ""
            how = "was returned by the bank" if returned else "did not go through at the bank"
            if reason:
                how += f" (reason given: {reason.rstrip('.')})"
            yield Found(
                key=f"run-item:{item.pk}",
                summary=f"Payment of {bill.number} to {bill.party} "
                f"{'returned' if returned else 'failed'} in {item.run.reference}",
                party=bill.party,
                invoice=bill,
                subject=item,
                kind="payment_returned",
                facts={
                    "amount": Money(item.amount, item.run.currency).format(),
                    "run": item.run.reference,
                    "run_date": long_date(item.run.run_date),
                    "how": how,
                },
            )


# What we ask of a vendor whose bills keep tripping one check, in their words.
GUIDANCE = {
    "price": (
        "prices on the invoices differ from the prices on our orders",
        "please invoice the prices on our order, and when a price changes, send us the new "
        "price list first so that we can update the order before you invoice.",
    ),
    "quantity": (
        "quantities on the invoices differ from our orders or deliveries",
        "please invoice only what has been delivered, and put our order number and your "
        "delivery note number on every invoice.",
    ),
    "not_received": (
        "the invoices arrived before we had booked the goods as received",
        "please send the delivery note with every delivery and put our order number on it, "
        "so that our warehouse can book the goods on the day they arrive.",
    ),
    "duplicate": (
        "the same invoice reached us more than once",
        "please send each invoice once, to one address; for a reminder, a statement of your "
        "open invoices works best.",
    ),
}


class RepeatVendor(Check):
    name = "repeat_vendor"
    title = "Vendor keeps failing the same check"
    description = (
        "A vendor with at least the set number of findings of one kind (price, quantity, "
        "goods not received, duplicate) in the set number of days: we offer guidance."
    )
    category = "other"
    vendor_facing = True
    thresholds = {
        "min_findings": Threshold(3, "Findings of one kind that make a pattern.", 2, 100),
        "days": Threshold(90, "The window the findings are counted in, in days.", 1, 365),
    }
    subject_template = "How we can pay your invoices faster"
    what_happened = (
        "What happened: in the last {days} days, {count} of your invoices to us needed a "
        "second look for the same reason: the {reason}."
    )
    what_we_do = (
        "What we are doing: each of those invoices has an owner in our team, and we will "
        "process the ones still open by {reply_by}."
    )
    prevention = "To make sure this does not happen again, {guidance}"

    def find(self, settings: Settings) -> Iterator[Found]:
        from ledgerdesk.parties.models import Party
        from ledgerdesk.watch.models import Finding

        since = settings.now - dt.timedelta(days=settings["days"])
        # watch_finding_seen_idx: (check_name, first_seen), resolved ones count too.
        rows = (
            Finding.objects.filter(
                check_name__in=(Mismatch.name, SuspectedDuplicate.name),
                first_seen__gte=since,
                party__isnull=False,
                kind__in=list(GUIDANCE),
            )
            .values("party_id", "kind")
            .annotate(count=Count("id"))
            .filter(count__gte=settings["min_findings"])
            .order_by("party_id", "kind")
        )
        rows = list(rows)
        parties = Party.objects.in_bulk([row["party_id"] for row in rows])
        for row in rows:
            party = parties[row["party_id"]]
            reason, guidance = GUIDANCE[row["kind"]]
            yield Found(
                key=f"vendor:{party.pk}:{row['kind']}",
                summary=f"{party}: {row['count']} {row['kind'].replace('_', ' ')} findings "
                f"in {settings['days']} days",
                party=party,
                subject=party,
                kind="repeat",
                facts={"count": row["count"], "reason": reason, "guidance": guidance},
            )
