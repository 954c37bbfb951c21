"""Case export rows for `ledgerdesk export cases`: the desk, auditable in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from ledgerdesk.desk.models import Case, Message

CASE_COLUMNS = [
    "reference",
    "team",
    "party_id",
    "party_name",
    "contact_email",
    "subject",
    "category",
    "channel",
    "tier",
    "tier_reason",
    "state",
    "owner",
    "opened_at",
    "acknowledged_at",
    "first_response_at",
    "first_response_due",
    "resolution_due",
    "resolved_at",
    "messages",
]


def case_rows(party_id: int | None = None) -> Iterator[dict]:
    cases = (
        Case.objects.select_related("team", "party", "contact", "owner")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.order_by("at", "id").prefetch_related("attachments"),
            )
        )
        .order_by("id")
    )
    if party_id is not None:
        cases = cases.filter(party_id=party_id)
    for case in cases.iterator(chunk_size=500):
        yield {
            "reference": case.reference,
            "team": case.team.code,
            "party_id": case.party_id,
            "party_name": case.party.name if case.party_id else "",
            "contact_email": case.reply_to_address,
            "subject": case.subject,
            "category": case.category,
            "channel": case.channel,
            "tier": case.tier,
            "tier_reason": case.tier_reason,
            "state": case.state,
            "owner": case.owner.get_username() if case.owner_id else "",
            "opened_at": case.opened_at,
            "acknowledged_at": case.acknowledged_at,
            "first_response_at": case.first_response_at,
            "first_response_due": case.first_response_due,
            "resolution_due": case.resolution_due,
            "resolved_at": case.resolved_at,
            "messages": [
                {
                    "direction": message.direction,
                    "sender": message.sender_email,
                    "subject": message.subject,
                    "date": message.at.isoformat(),
                    "text": message.text,
                    "attachments": [a.filename for a in message.attachments.all()],
                }
                for message in case.messages.all()
            ],
        }
