"""A party rates a case of theirs once it is resolved or closed: 1 to 5 and a comment, once.

The rating lands on the case's timeline for the agents ("Rated 4/5 by …"); a low one (1 or 2)
also leaves an internal note so somebody follows up.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, CaseEvent
from ledgerdesk.portal.models import CaseRating, PortalAccount
from ledgerdesk.portal.services import PortalError

RATEABLE_STATES = (Case.State.RESOLVED, Case.State.CLOSED)
LOW = 2  # a rating at or below this asks for a follow-up
LOW_NOTE = "Low rating: follow up"


def can_rate(case: Case) -> bool:
    return case.state in RATEABLE_STATES and not CaseRating.objects.filter(case=case).exists()


def rating_of(case: Case) -> CaseRating | None:
    return CaseRating.objects.filter(case=case).first()


@transaction.atomic
def rate(account: PortalAccount, case: Case, rating: int, comment: str = "") -> CaseRating:
    """Record the party's rating of `case`; PortalError ("field: why") when it may not be rated."""
    if case.party_id != account.party_id:
        raise PortalError("case: not one of your questions")
    if case.state not in RATEABLE_STATES:
        raise PortalError("rating: you can rate this once we have resolved it")
    if rating not in range(1, 6):
        raise PortalError("rating: choose from 1 to 5")
    comment = comment.strip()
    # Lock the case row so two quick submissions cannot both pass the "not yet rated" check.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if CaseRating.objects.filter(case=case).exists():
        raise PortalError("rating: you have already rated this")
    try:
        with transaction.atomic():
            saved = CaseRating.objects.create(
                case=case, rating=rating, comment=comment, account=account
            )
    except IntegrityError:
        raise PortalError("rating: you have already rated this") from None
    who = account.contact.name or account.user.get_username()
    text = f"Rated {rating}/5 by {who}"
    desk.event(case, CaseEvent.Kind.SYSTEM, f"{text}: {comment}" if comment else f"{text}.")
    if rating <= LOW:
        desk.event(case, CaseEvent.Kind.NOTE, LOW_NOTE)
    return saved
