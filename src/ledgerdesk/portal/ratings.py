"""A party rates a case of theirs once it is resolved or closed: 1 to 5 and a comment, once.

The rating itself is `surveys.services.rate_case`, shared with the survey e-mail's rating
link, so both land in the same single `CaseRating` of the case: it goes on the case's
timeline for the agents ("Rated 4/5 by …"), and a low one opens a follow-up case for the lead.
"""

from __future__ import annotations

from ledgerdesk.desk.models import Case
from ledgerdesk.portal.models import CaseRating, PortalAccount
from ledgerdesk.portal.services import PortalError
from ledgerdesk.surveys import services as surveys
from ledgerdesk.surveys.services import RATEABLE_STATES


def can_rate(case: Case) -> bool:
    return case.state in RATEABLE_STATES and not CaseRating.objects.filter(case=case).exists()


def rating_of(case: Case) -> CaseRating | None:
    return CaseRating.objects.filter(case=case).first()


def rate(account: PortalAccount, case: Case, rating: int, comment: str = "") -> CaseRating:
    """Record the party's rating of `case`; PortalError ("field: why") when it may not be rated."""
    if case.party_id != account.party_id:
        raise PortalError("case: not one of your questions")
    who = account.contact.name or account.user.get_username()
    try:
        return surveys.rate_case(case, rating, comment, who=who, account=account)
    except surveys.SurveyError as exc:
        raise PortalError(str(exc)) from None
