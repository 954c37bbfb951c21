"""Receivables in the API: statements and their lines with where the cash went (read-only)."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from ledgerdesk.receivables.models import BankStatement, StatementLine

router = Router(tags=["receivables"])


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, f"you need the permission {perm}")


class StatementOut(Schema):
    id: int
    account: str
    statement_id: str
    format: str
    currency: str
    opening_balance: Decimal | None
    opening_date: date | None
    closing_balance: Decimal | None
    closing_date: date | None
    source_name: str
    imported_at: datetime
    line_count: int
    credit_count: int


class LineOut(Schema):
    id: int
    statement_id: int
    position: int
    booking_date: date
    value_date: date | None
    amount: Decimal
    currency: str
    bank_reference: str
    end_to_end_id: str
    creditor_reference: str
    remittance: str
    counterparty_name: str
    counterparty_account: str
    state: str
    auto_applied: bool
    applied_at: datetime | None
    confidence: float | None
    reason: str
    unapplied_amount: Decimal
    refunded_amount: Decimal
    candidates: list[int]
    payment_id: int | None


@router.get("/statements", response=list[StatementOut])
@paginate(PageNumberPagination, page_size=50)
def list_statements(request, account: str = ""):
    _require(request, "receivables.view_bankstatement")
    statements = BankStatement.objects.order_by("-imported_at", "-id")
    if account:
        statements = statements.filter(account="".join(account.split()).upper())
    return statements


@router.get("/lines", response=list[LineOut])
@paginate(PageNumberPagination, page_size=50)
def list_lines(request, state: str = "", statement: int | None = None):
    _require(request, "receivables.view_statementline")
    lines = StatementLine.objects.order_by("booking_date", "pk")
    if state in StatementLine.State.values:
        lines = lines.filter(state=state)
    if statement is not None:
        lines = lines.filter(statement_id=statement)
    return lines


@router.get("/lines/{int:line_id}", response=LineOut)
def get_line(request, line_id: int):
    _require(request, "receivables.view_statementline")
    return get_object_or_404(StatementLine, pk=line_id)
