"""`/api/v1/cases`: list, create, read, change state, reply, note."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from ledgerdesk.desk import clocks, coaching, services
from ledgerdesk.desk.models import Case, CaseEvent, Message, Team
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Contact, Party

router = Router(tags=["cases"])


class ClockOut(Schema):
    name: str
    state: str
    colour: str
    words: str
    due: datetime


class CaseOut(Schema):
    reference: str
    subject: str
    team: str = Field(..., alias="team.code")
    party_id: int | None
    contact_id: int | None
    requester_email: str
    category: str
    channel: str
    state: str
    tier: int
    tier_reason: str
    owner: str = Field(..., alias="owner.username")
    opened_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    resolved_at: datetime | None


class MessageOut(Schema):
    direction: str
    message_id: str
    sender_email: str
    subject: str
    text: str
    at: datetime
    attachments: list[str]

    @staticmethod
    def resolve_attachments(obj):
        return [a.filename for a in obj.attachments.all()]


class EventOut(Schema):
    kind: str
    at: datetime
    actor_label: str
    text: str


class CaseDetailOut(CaseOut):
    invoices: list[str]
    clocks: list[ClockOut]
    messages: list[MessageOut]
    events: list[EventOut]

    @staticmethod
    def resolve_invoices(obj):
        return [invoice.number for invoice in obj.invoices.all()]

    @staticmethod
    def resolve_clocks(obj):
        return clocks.status(obj)

    @staticmethod
    def resolve_messages(obj):
        return list(obj.messages.all())

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class CaseIn(Schema):
    team: str
    subject: str
    text: str = ""
    category: str | None = None
    channel: str = Case.Channel.WEB_FORM
    party_id: int | None = None
    contact_id: int | None = None
    requester_email: str = ""
    requester_name: str = ""
    invoice_numbers: list[str] = []


class StateIn(Schema):
    state: str
    note: str = ""


class TextIn(Schema):
    text: str


class ReplyIn(Schema):
    text: str
    override_reason: str = ""


def _case(reference: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("team", "owner", "party", "contact"), reference=reference
    )


def _unprocessable(exc: Exception):
    raise HttpError(422, str(exc))


@router.get("", response=list[CaseOut])
@paginate(PageNumberPagination, page_size=50)
def list_cases(
    request,
    state: str = "",
    team: str = "",
    tier: int | None = None,
    party: int | None = None,
    mine: bool = False,
):
    cases = Case.objects.select_related("team", "owner").order_by("next_due", "opened_at")
    if state == "open":
        cases = cases.open()
    elif state:
        cases = cases.filter(state=state)
    if team:
        cases = cases.filter(team__code=team)
    if tier is not None:
        cases = cases.filter(tier=tier)
    if party is not None:
        cases = cases.filter(party_id=party)
    if mine:
        cases = cases.filter(owner=request.user)
    return cases


@router.post("", response={201: CaseDetailOut})
def create_case(request, payload: CaseIn):
    team = Team.objects.filter(code=payload.team).first()
    if team is None:
        raise HttpError(422, f"team: no team with code {payload.team!r}")
    if payload.category and payload.category not in Case.Category.values:
        raise HttpError(422, f"category: {payload.category!r} is not a case category")
    if payload.channel not in Case.Channel.values:
        raise HttpError(422, f"channel: {payload.channel!r} is not a channel")
    party = contact = None
    if payload.party_id is not None:
        party = Party.objects.filter(pk=payload.party_id).first()
        if party is None:
            raise HttpError(422, f"party_id: no party {payload.party_id}")
    if payload.contact_id is not None:
        contact = Contact.objects.filter(pk=payload.contact_id).first()
        if contact is None or (party is not None and contact.party_id != party.pk):
            raise HttpError(422, f"contact_id: no contact {payload.contact_id} of this party")
        party = party or contact.party
    if not (contact or payload.requester_email):
        raise HttpError(422, "requester_email: give a contact_id or the requester's e-mail")
    invoices = []
    if payload.invoice_numbers:
        found = Invoice.objects.filter(number__in=payload.invoice_numbers)
        if party is not None:
            found = found.filter(party=party)
        invoices = list(found)
        missing = set(payload.invoice_numbers) - {i.number for i in invoices}
        if missing:
            raise HttpError(422, f"invoice_numbers: unknown {', '.join(sorted(missing))}")
    try:
        case = services.open_case(
            team=team,
            subject=payload.subject,
            text=payload.text,
            category=payload.category,
            channel=payload.channel,
            party=party,
            contact=contact,
            requester_email=payload.requester_email,
            requester_name=payload.requester_name,
            invoices=invoices,
        )
    except services.DeskError as exc:
        _unprocessable(exc)
    return Status(201, _detail(case.reference))


def _detail(reference: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("team", "owner").prefetch_related(
            "invoices",
            Prefetch("messages", queryset=Message.objects.prefetch_related("attachments")),
            Prefetch("events", queryset=CaseEvent.objects.all()),
        ),
        reference=reference,
    )


@router.get("/{reference}", response=CaseDetailOut)
def get_case(request, reference: str):
    return _detail(reference)


@router.post("/{reference}/state", response=CaseDetailOut)
def change_state(request, reference: str, payload: StateIn):
    try:
        services.change_state(_case(reference), payload.state, payload.note)
    except services.DeskError as exc:
        _unprocessable(exc)
    return _detail(reference)


@router.post("/{reference}/reply", response={201: MessageOut})
def reply(request, reference: str, payload: ReplyIn):
    """Send a reply. The coach reviews it as in the composer; below the team's threshold the
    reply needs an `override_reason`, which is recorded with the review."""
    if not payload.text.strip():
        raise HttpError(422, "text: a reply cannot be empty")
    case = _case(reference)
    review = coaching.review_for_case(case, payload.text)
    below = review.score < case.team.coach_threshold
    if below and not payload.override_reason.strip():
        raise HttpError(
            422,
            f"override_reason: the coach scores this reply {review.score} of 100, below the "
            f"team's {case.team.coach_threshold}; say why it should go anyway, or improve it "
            f"({len(review.findings)} finding(s): POST /api/v1/coach/review shows them)",
        )
    try:
        message = outbound.send(
            case,
            payload.text,
            author=request.user,
            review=coaching.stored_review(review, case),
            override_reason=payload.override_reason.strip() if below else "",
        )
    except services.DeskError as exc:
        _unprocessable(exc)
    return Status(201, message)


@router.post("/{reference}/notes", response={201: EventOut})
def add_note(request, reference: str, payload: TextIn):
    try:
        note = services.add_note(_case(reference), payload.text)
    except services.DeskError as exc:
        _unprocessable(exc)
    return Status(201, note)
