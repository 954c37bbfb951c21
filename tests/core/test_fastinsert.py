"""The fast insert writes the rows bulk_create writes: the same values, read back the same."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ledgerdesk.core import fastinsert
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger.models import Direction, Payment, PaymentAllocation
from tests.factories import InvoiceFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_COLUMNS = [
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
]
PAYMENT_COLUMNS = [
    "direction",
    "party_id",
    "date",
    "amount",
    "currency",
    "method",
    "reference",
    "bank_account_id",
]


def _entries(tag: str, count: int, user) -> list[AuditEntry]:
    # Aware datetimes in and out of UTC, JSON with nesting, unicode and numbers as text, NULLs.
    paris = dt.timezone(dt.timedelta(hours=1))
    return [
        AuditEntry(
            at=dt.datetime(2026, 11, 25, 9, 30, n % 60, 123456, tzinfo=paris if n % 2 else dt.UTC),
            actor_id=user.pk if n % 3 else None,
            actor_label=f"{tag}-{n}",
            action=AuditEntry.Action.UPDATE,
            object_type="ledger.invoice",
            object_id=str(n),
            object_repr=f"Invoice Nº {n} – “quoted”",
            before={"amount_open": str(Decimal("1210.00") - n), "status": "issued"},
            after={"nested": {"list": [1, 2.5, None, True], "é": "ü"}, "n": n} if n % 2 else {},
            note="" if n % 4 else f"note {n}",
        )
        for n in range(count)
    ]


def _rows(tag: str) -> list[tuple]:
    rows = AuditEntry.objects.filter(actor_label__startswith=f"{tag}-").order_by("object_id")
    return sorted(rows.values_list(*AUDIT_COLUMNS), key=lambda row: int(row[5]))


def test_audit_entries_are_written_as_bulk_create_writes_them():
    user = UserFactory()
    AuditEntry.objects.bulk_create(_entries("bulk", 9, user))
    fastinsert.insert(_entries("fast", 9, user))

    bulk, fast = _rows("bulk"), _rows("fast")
    assert len(fast) == 9
    # The same values but the label: datetimes come back aware in UTC, JSON as it went in.
    assert [row[:2] + row[3:] for row in fast] == [row[:2] + row[3:] for row in bulk]
    first, second = fast[0], fast[1]
    assert first[0] == dt.datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=dt.UTC)
    assert second[0] == dt.datetime(2026, 11, 25, 8, 30, 1, 123456, tzinfo=dt.UTC)
    assert first[1] is None and second[1] == user.pk
    assert second[8] == {"nested": {"list": [1, 2.5, None, True], "é": "ü"}, "n": 1}
    assert first[8] == {}
    assert first[9] == "note 0"


def test_rows_are_written_across_chunks(monkeypatch):
    monkeypatch.setattr(fastinsert, "CHUNK", 4)
    user = UserFactory()
    fastinsert.insert(_entries("chunked", 10, user))  # 4 + 4 + 2

    rows = _rows("chunked")
    assert [row[5] for row in rows] == [str(n) for n in range(10)]
    assert [row[2] for row in rows] == [f"chunked-{n}" for n in range(10)]


def _payments(party, count: int, reference: str) -> list[Payment]:
    return [
        Payment(
            direction=Direction.RECEIVABLE,
            party=party,
            date=dt.date(2026, 11, 1) + dt.timedelta(days=n % 28),
            amount=Decimal("0.01") * (n + 1) + Decimal("1000"),
            currency="EUR",
            reference=f"{reference}-{n}" if n % 5 else "",
        )
        for n in range(count)
    ]


def test_payments_get_their_ids_across_batches_and_read_back_as_bulk_create_writes_them(
    monkeypatch,
):
    monkeypatch.setattr(fastinsert, "RETURNING_ROWS", 100)  # 100 + 100 + 60, on any database
    party = PartyFactory()
    before = timezone.now()
    # More rows than one INSERT … RETURNING carries.
    fast = _payments(party, 260, "fast")
    fastinsert.insert(fast, returning=True)
    bulk = _payments(party, 260, "bulk")
    Payment.objects.bulk_create(bulk)

    assert len({p.pk for p in fast}) == 260 and all(p.pk for p in fast)
    assert all(not p._state.adding for p in fast)
    for payment in fast:  # each id is the row of that object
        stored = Payment.objects.get(pk=payment.pk)
        assert (stored.amount, stored.date, stored.reference) == (
            payment.amount,
            payment.date,
            payment.reference,
        )
        assert stored.created_at == payment.created_at and stored.created_at >= before
        assert stored.bank_account_id is None
    fast_rows = [Payment.objects.values_list(*PAYMENT_COLUMNS).get(pk=p.pk) for p in fast]
    bulk_rows = [Payment.objects.values_list(*PAYMENT_COLUMNS).get(pk=p.pk) for p in bulk]
    assert [row[:6] for row in fast_rows] == [row[:6] for row in bulk_rows]
    assert fast_rows[7][3] == Decimal("1000.08")


def test_a_related_object_saved_after_it_was_assigned_is_written_by_its_id():
    party = PartyFactory()
    invoice = InvoiceFactory(party=party)
    payment = _payments(party, 1, "x")[0]
    allocation = PaymentAllocation(
        payment=payment,
        invoice=invoice,
        amount=Decimal("12.34"),
        deduction_amount=Decimal("0.66"),
        deduction_reason="bank fee",
    )
    fastinsert.insert([payment], returning=True)
    fastinsert.insert([allocation], returning=True)

    stored = PaymentAllocation.objects.get(pk=allocation.pk)
    assert stored.payment_id == payment.pk and stored.invoice_id == invoice.pk
    assert (stored.amount, stored.deduction_amount) == (Decimal("12.34"), Decimal("0.66"))


def test_nothing_to_insert_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        fastinsert.insert([])


def test_objects_of_two_models_are_refused():
    party = PartyFactory()
    with pytest.raises(ValueError, match="same model"):
        fastinsert.insert([*_payments(party, 1, "x"), AuditEntry(actor_label="x")])
