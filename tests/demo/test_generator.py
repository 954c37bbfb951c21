"""The demo generator at tiny scale: every kind of record and mess, amounts that add
up, the same data for the same seed."""

import dataclasses
import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone
from stdnum import iban

from ledgerdesk.core import roles
from ledgerdesk.core.models import AuditEntry, SiteState
from ledgerdesk.demo import demo_logins, story
from ledgerdesk.demo.catalog import duplicate_key
from ledgerdesk.demo.generator import generate
from ledgerdesk.ledger.models import (
    GoodsReceiptLine,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
from ledgerdesk.parties.models import BankAccount, Party

pytestmark = pytest.mark.django_db

SEED = 7
S = Invoice.Status


@pytest.fixture
def tiny():
    return generate("tiny", seed=SEED)


def test_it_makes_the_tiny_set(tiny):
    assert tiny["parties"] == Party.objects.count() == 12
    assert tiny["invoices"] == Invoice.objects.count() == 60
    assert tiny["payments"] == Payment.objects.count()
    assert tiny["invoice_lines"] == InvoiceLine.objects.count()
    assert not Invoice.objects.exclude(source=Invoice.Source.DEMO).exists()


def test_parties_include_strategic_ones_and_one_that_is_both(tiny):
    assert Party.objects.filter(criticality=Party.Criticality.STRATEGIC).exists()
    assert Party.objects.filter(is_vendor=True, is_customer=True).exists()
    for party in Party.objects.all():
        assert party.tax_id and party.tax_id_key and party.name_key
        assert party.external_id[0] == ("V" if party.is_vendor else "C")
        assert party.payment_terms_days in (14, 30, 45, 60)


def test_every_contact_is_complete_and_reachable(tiny):
    for party in Party.objects.prefetch_related("contacts"):
        contacts = list(party.contacts.all())
        assert 1 <= len(contacts) <= 3
        assert sum(c.is_primary for c in contacts) == 1
        for contact in contacts:
            assert contact.name and contact.phone.startswith("+") and contact.language
            assert "." in contact.email.partition("@")[2]
            assert contact.time_zone in zoneinfo.available_timezones()


def test_vendors_are_paid_into_one_valid_active_account(tiny):
    for vendor in Party.objects.vendors():
        active = vendor.bank_accounts.filter(status=BankAccount.Status.ACTIVE)
        assert active.count() == 1
        if vendor.country != "US":  # no IBAN there
            assert iban.is_valid(active.get().iban)


def test_every_invoice_status_occurs(tiny):
    assert set(Invoice.objects.values_list("status", flat=True)) == set(S.values)


def test_amount_open_is_payable_less_what_was_allocated_and_deducted(tiny):
    money = DecimalField(max_digits=18, decimal_places=2)
    settled = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum(F("amount") + F("deduction_amount")))
        .values("total")
    )
    gap = Abs(
        F("amount_payable")
        - Coalesce(Subquery(settled, output_field=money), Value(Decimal(0)), output_field=money)
        - F("amount_open")
    )
    # One query over every invoice; SQLite sums decimals as floats, hence the tolerance.
    assert not Invoice.objects.alias(gap=gap).filter(gap__gt=Decimal("0.001")).exists()
    assert not Invoice.objects.filter(status=S.PAID).exclude(amount_open=0).exists()
    assert not Invoice.objects.filter(amount_open__lt=0).exists()


def test_totals_add_up_from_the_lines(tiny):
    for invoice in Invoice.objects.prefetch_related("lines").select_related("party"):
        lines = list(invoice.lines.all())
        assert invoice.net_amount == sum(line.net_amount for line in lines)
        assert invoice.total_amount == invoice.net_amount + invoice.tax_amount
        assert {line.tax_rate for line in lines} <= {Decimal(r) for r in (0, 9, 19, 21, 25)}
        assert (invoice.due_date - invoice.issue_date).days == invoice.party.payment_terms_days


def test_a_paid_vendor_invoice_walks_the_whole_approval_path(tiny):
    invoice = Invoice.objects.payable().filter(status=S.PAID, kind="invoice").first()
    history = list(invoice.history.all())
    statuses = [h.status for h in history]
    assert statuses == [S.RECEIVED, S.IN_APPROVAL, S.APPROVED, S.SCHEDULED, S.PAID]
    assert [h.at for h in history] == sorted(h.at for h in history)
    assert " " in history[2].by_label  # approved by a named person
    assert invoice.status_changed_at == history[-1].at
    assert invoice.allocations.get().payment.date == invoice.scheduled_payment_date


def test_some_approvals_sit_for_weeks(tiny):
    weeks_ago = timezone.now() - dt.timedelta(days=20)
    assert Invoice.objects.filter(status=S.IN_APPROVAL, status_changed_at__lt=weeks_ago).exists()


def test_a_vendor_billed_above_the_po_price(tiny):
    line = InvoiceLine.objects.filter(unit_price__gt=F("po_line__unit_price")).first()
    assert line is not None
    assert line.invoice.purchase_order_id == line.po_line.order_id
    assert "Price mismatch" in line.invoice.history.get(status__in=[S.ON_HOLD, S.IN_APPROVAL]).note


def test_a_vendor_billed_more_than_was_received(tiny):
    over = []
    for line in InvoiceLine.objects.filter(po_line__isnull=False).select_related("po_line"):
        received = GoodsReceiptLine.objects.filter(order_line=line.po_line).aggregate(
            q=Sum("quantity")
        )["q"]
        if received is not None and line.quantity > received:
            over.append(line)
    assert over
    assert any(line.invoice.status == S.ON_HOLD for line in over)


def test_a_near_duplicate_is_a_separate_live_invoice(tiny):
    invoices = Invoice.objects.payable().filter(kind="invoice", duplicate_of__isnull=True)
    seen, pairs = {}, []
    for invoice in invoices:
        key = (invoice.party_id, duplicate_key(invoice.number), invoice.total_amount)
        if key in seen and seen[key].number != invoice.number:
            pairs.append((seen[key], invoice))
        seen[key] = invoice
    assert pairs


def test_an_exact_duplicate_is_held_beside_the_original(tiny):
    held = Invoice.objects.filter(duplicate_of__isnull=False).first()
    assert held.number == held.duplicate_of.number
    assert held.party_id == held.duplicate_of.party_id
    assert held.status == S.ON_HOLD and "duplicate" in held.hold_reason


def test_on_hold_invoices_say_why(tiny):
    assert not Invoice.objects.filter(status=S.ON_HOLD, hold_reason="").exists()


def test_credit_notes_correct_an_invoice_of_the_same_party(tiny):
    notes = Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE)
    assert {n.direction for n in notes} == {"ap", "ar"}
    for note in notes:
        assert note.corrects.party_id == note.party_id
        assert note.corrects.kind == Invoice.Kind.INVOICE


def test_a_customer_short_paid_with_a_reason(tiny):
    short = PaymentAllocation.objects.filter(
        invoice__direction="ar", deduction_amount__gt=0
    ).exclude(deduction_reason="")
    assert short.exists()
    # …and one short-paid without a word, leaving an amount open.
    assert (
        Invoice.objects.receivable()
        .filter(allocations__isnull=False, amount_open__gt=0)
        .exclude(amount_open=F("amount_payable"))
        .exists()
    )


def test_payments_name_the_invoices_they_pay(tiny):
    allocation = PaymentAllocation.objects.filter(invoice__direction="ar").first()
    number = allocation.invoice.number
    assert number in allocation.payment.reference or number.replace("-", "") in (
        allocation.payment.reference
    )


def test_some_money_came_in_that_nobody_could_place(tiny):
    unapplied = Payment.objects.filter(direction="ar", allocations__isnull=True)
    assert unapplied.exists()


def test_no_payment_is_applied_beyond_its_amount(tiny):
    for payment in Payment.objects.prefetch_related("allocations"):
        assert sum(a.amount for a in payment.allocations.all()) <= payment.amount
        assert payment.date <= timezone.localdate()


def test_demo_users_hold_their_roles(tiny):
    users = get_user_model().objects
    for username, _password, role in demo_logins():
        user = users.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.first_name and user.last_name
    assert users.get(username="admin").is_staff
    assert not users.get(username="agent").is_staff
    assert set(roles.STAFF_ROLES) == {role for _u, _p, role in demo_logins()}


def test_demo_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    generate("tiny", seed=SEED)
    assert get_user_model().objects.get(username="agent").password.startswith("argon2$")


def test_it_writes_one_audit_entry_and_the_marker(tiny):
    entry = AuditEntry.objects.get()
    assert entry.actor_label == "demo"
    assert entry.after["invoices"] == 60
    state = SiteState.objects.get(key="demo").value
    assert (state["scale"], state["seed"], state["counts"]) == ("tiny", SEED, tiny)


def _generate_and_roll_back(seed: int):
    class Done(Exception):
        pass

    result = {}
    try:
        with transaction.atomic():
            result["counts"] = generate("tiny", seed=seed)
            invoices = Invoice.objects.order_by("party__external_id", "issue_date", "number")
            result["numbers"] = list(invoices.values_list("number", flat=True)[:15])
            result["names"] = list(Party.objects.order_by("external_id").values_list("name"))
            raise Done
    except Done:
        pass
    return result


def test_the_same_seed_gives_the_same_data():
    first, second = _generate_and_roll_back(SEED), _generate_and_roll_back(SEED)
    assert first == second


def test_another_seed_gives_other_data():
    assert _generate_and_roll_back(SEED)["names"] != _generate_and_roll_back(SEED + 1)["names"]


def test_it_writes_in_batches_and_reports_progress(monkeypatch):
    small_batches = dataclasses.replace(story.SCALES["tiny"], batch_documents=10)
    monkeypatch.setitem(story.SCALES, "tiny", small_batches)
    calls = []
    counts = generate("tiny", seed=SEED, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) > 3
    assert calls[0] == (0, 60) and calls[-1] == (60, 60)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert counts["invoices"] == Invoice.objects.count() == 60


def test_an_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="scale"):
        generate("huge")
