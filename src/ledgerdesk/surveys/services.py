"""Sending surveys and taking their answers.

- `send_case_survey`: after a case is resolved (called by the task the desk queues once the
  resolution is committed). By e-mail, five signed links 1..5; a contact who prefers the portal
  and has an account is pointed at the portal's rating form instead.
- `send_relationship_surveys`: each active vendor and customer's primary contact, once a round
  (calendar quarter); the periodic task and `ledgerdesk send-surveys` call it.
- `rate_case`: THE way a case gets rated, from the portal and from the e-mail link alike: one
  `portal.CaseRating` per case, the case's survey marked answered, a low rating followed up.
- `answer`: what the signed link page calls.

No contact gets a second survey of any kind within `SurveySettings.quiet_days`; a survey held
back is never silently dropped: a case survey says so on the case's timeline, a relationship
survey is counted in the round's summary.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, CaseEvent, Message, Team
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Contact, Party
from ledgerdesk.portal.models import CaseRating, PortalAccount
from ledgerdesk.surveys import rounds
from ledgerdesk.surveys.models import Survey, SurveySettings

log = logging.getLogger(__name__)

LINK_SALT = "ledgerdesk.surveys.link"
RATEABLE_STATES = (Case.State.RESOLVED, Case.State.CLOSED)
# Kept word for word: agents (and the portal's tests) know the note by this text.
LOW_NOTE = "Low rating: follow up"
COMMENT_MAX = 2000


class SurveyError(Exception):
    """A refusal worth showing: "field: what is wrong" (the portal's convention)."""

    @property
    def field(self) -> str:
        return str(self).split(":", 1)[0]

    @property
    def message(self) -> str:
        return str(self).split(":", 1)[-1].strip()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Links ---------------------------------------------------------------------------------------


def link_token(survey: Survey, rating: int) -> str:
    payload = rounds.LinkPayload(survey.pk, rating, survey.token)
    return signing.TimestampSigner(salt=LINK_SALT).sign(rounds.pack(payload))


def link_url(survey: Survey, rating: int) -> str:
    path = reverse("portal:survey", args=[link_token(survey, rating)])
    return settings.SITE_URL.rstrip("/") + path


def survey_from_link(token: str) -> tuple[Survey, int] | None:
    """The survey and the rating a link names; None when tampered with, expired or voided."""
    max_age = SurveySettings.current().link_days * 24 * 3600
    try:
        value = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    payload = rounds.unpack(value)
    if payload is None:
        return None
    survey = (
        Survey.objects.select_related("case", "party", "contact", "team")
        .filter(pk=payload.survey_id)
        .first()
    )
    if survey is None or not constant_time_compare(survey.token, payload.token):
        return None
    if survey.kind == Survey.Kind.CASE and survey.case_id is None:
        return None  # the case is gone: nothing left to rate
    return survey, payload.rating


# --- Throttle ------------------------------------------------------------------------------------


def address(contact: Contact) -> str:
    """The contact's address as surveys store it: the throttle counts per address, so a person
    on file for two parties (or twice for one) is still asked once in the quiet period."""
    return contact.email.strip().lower()


def last_survey_at(contact: Contact):
    return (
        Survey.objects.filter(email=address(contact))
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def _channel(contact: Contact) -> str:
    """The portal for a contact who prefers it and can sign in; e-mail links for everyone else
    (phone and letter cannot carry a one-click rating, so they get the e-mail too)."""
    if contact.preferred_channel == Contact.Channel.PORTAL:
        has_account = PortalAccount.objects.filter(
            contact=contact, is_active=True, activated_at__isnull=False
        ).exists()
        if has_account:
            return Survey.Channel.PORTAL
    return Survey.Channel.EMAIL


def _new_token() -> str:
    return secrets.token_urlsafe(12)  # 16 characters of [A-Za-z0-9_-]


# --- Case surveys --------------------------------------------------------------------------------


@dataclass
class Outcome:
    survey: Survey | None
    reason: str = ""  # why no survey went out, in words

    @property
    def sent(self) -> bool:
        return self.survey is not None


def send_case_survey(case_id: int, now=None) -> Outcome:
    """Survey the contact of a resolved case, once per case. Safe to run twice."""
    rules = SurveySettings.current()
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the case so the task running twice at once sends one survey, not two.
        if not Case.objects.select_for_update().filter(pk=case_id).exists():
            return Outcome(None, "case: it no longer exists")
        case = Case.objects.select_related("team", "party", "contact").get(pk=case_id)
        contact = case.contact
        if not rules.case_surveys:
            return Outcome(None, "settings: case surveys are switched off")
        if case.state not in RATEABLE_STATES:
            return Outcome(None, "case: it is open again")
        if case.channel == Case.Channel.INTERNAL:
            return Outcome(None, "case: an internal case has nobody to ask")
        if contact is None or not contact.email:
            return Outcome(None, "contact: the case has no contact with an e-mail address")
        if not case.messages.filter(direction=Message.Direction.INBOUND).exists():
            # A reminder or a proactive notice we sent and nobody answered: no one asked us
            # anything, so there is no service to rate.
            return Outcome(None, "case: the customer never wrote to us in it")
        if Survey.objects.filter(kind=Survey.Kind.CASE, case=case).exists():
            return Outcome(None, "case: its survey went out already")
        if CaseRating.objects.filter(case=case).exists():
            return Outcome(None, "case: the customer rated it already")
        last = last_survey_at(contact)
        if not rounds.may_survey(last, now, rules.quiet_days):
            day = timezone.localtime(last).date()
            reason = (
                f"No survey sent: {contact.name} had one on {day:%d %b %Y}, and we ask "
                f"at most once every {rules.quiet_days} days."
            )
            desk.event(case, CaseEvent.Kind.SYSTEM, reason)
            return Outcome(None, "throttle: " + reason)
        survey = Survey.objects.create(
            kind=Survey.Kind.CASE,
            case=case,
            party_id=case.party_id or contact.party_id,
            contact=contact,
            team=case.team,
            channel=_channel(contact),
            email=address(contact),
            token=_new_token(),
            sent_at=now,
        )
        # Sent inside the transaction: a refused message leaves no survey behind, and the
        # task's retry tries again.
        outbound.send(case, case_survey_text(survey), notice=True)
    return Outcome(survey)


def case_survey_text(survey: Survey) -> str:
    case = survey.case
    context = {"survey": survey, "case": case, "contact": survey.contact, "team": case.team}
    if survey.channel == Survey.Channel.PORTAL:
        portal = reverse("portal:case", args=[case.reference])
        context["portal_link"] = settings.SITE_URL.rstrip("/") + portal + "#rate"
        return render_to_string("surveys/email/case_portal.txt", context)
    context["links"] = [(n, link_url(survey, n)) for n in range(5, 0, -1)]
    context["days"] = SurveySettings.current().link_days
    return render_to_string("surveys/email/case.txt", context)


@transaction.atomic
def rate_case(
    case: Case,
    rating: int,
    comment: str = "",
    *,
    who: str,
    account: PortalAccount | None = None,
) -> CaseRating:
    """Record the party's rating of `case` (portal or e-mail link), once; SurveyError if not."""
    if case.state not in RATEABLE_STATES:
        raise SurveyError("rating: you can rate this once we have resolved it")
    if isinstance(rating, bool) or rating not in range(1, 6):
        raise SurveyError("rating: choose from 1 to 5")
    comment = comment.strip()[:COMMENT_MAX]
    # Lock the case row so two quick answers (portal and e-mail, or a double click) cannot
    # both pass the "not yet rated" check.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if CaseRating.objects.filter(case=case).exists():
        raise SurveyError("rating: you have already rated this")
    try:
        with transaction.atomic():
            saved = CaseRating.objects.create(
                case=case, rating=rating, comment=comment, account=account
            )
    except IntegrityError:
        raise SurveyError("rating: you have already rated this") from None
    Survey.objects.filter(kind=Survey.Kind.CASE, case=case, answered_at__isnull=True).update(
        answered_at=saved.at, rating=rating, comment=comment
    )
    text = f"Rated {rating}/5 by {who}"
    desk.event(case, CaseEvent.Kind.SYSTEM, f"{text}: {comment}" if comment else f"{text}.")
    if rating <= SurveySettings.current().low_rating:
        desk.event(case, CaseEvent.Kind.NOTE, LOW_NOTE)
        follow = open_follow_up(
            team=case.team,
            party=case.party,
            contact=case.contact,
            rating=rating,
            comment=comment,
            who=who,
            source=case,
        )
        Survey.objects.filter(kind=Survey.Kind.CASE, case=case).update(follow_up=follow)
    return saved


# --- Follow-up of a low rating -------------------------------------------------------------------


def _quoted(comment: str) -> str:
    if not comment:
        return "They left no comment."
    lines = "\n".join(f"> {line}" for line in comment.splitlines())
    return f"Their comment:\n{lines}"


def open_follow_up(
    *,
    team: Team,
    party: Party | None,
    contact: Contact | None,
    rating: int,
    comment: str,
    who: str,
    source: Case | None = None,
) -> Case:
    """An internal case for the team lead: call the customer back about a low rating."""
    lead = team.lead if team.lead_id and team.lead.is_active else None
    if source is not None:
        subject = f"Low rating {rating}/5 on {source.reference}: please follow up"
        what = f"how we handled case {source.reference} ({source.subject})"
    else:
        subject = f"Low relationship rating {rating}/5 from {party}: please follow up"
        what = "how easy we are to work with"
    text = (
        f"{who} rated {what} {rating} out of 5.\n\n{_quoted(comment)}\n\n"
        "Please get in touch with them, listen, and note here what you agreed."
    )
    follow = desk.open_case(
        team=team,
        subject=subject,
        text=text,
        # Internal: the party does not see our follow-up in the portal.
        channel=Case.Channel.INTERNAL,
        category=source.category if source is not None else Case.Category.OTHER,
        party=party,
        contact=contact,
        owner=lead,  # None (the team has no active lead): the desk picks a member
    )
    desk.add_note(follow, text)
    if source is not None:
        desk.event(follow, CaseEvent.Kind.SYSTEM, f"Follow-up of the rating on {source.reference}.")
        desk.event(
            source,
            CaseEvent.Kind.SYSTEM,
            f"Follow-up case {follow.reference} opened for {_name(follow.owner)}.",
        )
    return follow


# --- Relationship surveys ------------------------------------------------------------------------


@dataclass
class RoundSummary:
    round: str
    dry_run: bool = False
    parties: int = 0  # active parties looked at
    sent: int = 0
    already: int = 0  # had this round's survey
    throttled: int = 0  # their contact had a survey within the quiet period
    no_contact: int = 0  # no primary contact with an e-mail address
    failed: int = 0  # the mail server refused; tried again next run

    def line(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        return (
            f"Round {self.round}: {self.parties} active part{'y' if self.parties == 1 else 'ies'}, "
            f"{verb} {self.sent}, {self.already} already surveyed this round, "
            f"{self.throttled} skipped (surveyed within the quiet period), "
            f"{self.no_contact} skipped (no primary contact with an e-mail address), "
            f"{self.failed} failed"
        )


def active_parties(since):
    """Parties with a case opened or an invoice issued since `since` (a datetime)."""
    recent_case = Case.objects.filter(party=OuterRef("pk"), opened_at__gte=since)
    recent_invoice = Invoice.objects.filter(party=OuterRef("pk"), issue_date__gte=since.date())
    return Party.objects.filter(Q(Exists(recent_case)) | Q(Exists(recent_invoice)))


def team_for(party: Party, teams: dict[str, Team]) -> Team | None:
    """The team a party's answer is for: AP for a vendor, AR for a customer (AP for both)."""
    side = Direction.PAYABLE if party.is_vendor else Direction.RECEIVABLE
    return teams.get(side) or next(iter(teams.values()), None)


def send_relationship_surveys(now=None, *, dry_run: bool = False) -> RoundSummary:
    """This round's relationship survey to each active party's primary contact, once."""
    rules = SurveySettings.current()
    now = now or timezone.now()
    summary = RoundSummary(round=rounds.round_of(timezone.localdate(now)), dry_run=dry_run)
    if not rules.relationship_surveys:
        return summary
    # The lookups below take `active` as a subquery, not as a list of ids, so a hub with
    # tens of thousands of parties stays within the database's limit on parameters.
    active = active_parties(now - timedelta(days=rules.active_within_days))
    parties = list(active.order_by("name", "id"))
    summary.parties = len(parties)
    done = set(
        Survey.objects.filter(
            kind=Survey.Kind.RELATIONSHIP, round=summary.round, party__in=active
        ).values_list("party_id", flat=True)
    )
    primaries: dict[int, Contact] = {}
    contacts = Contact.objects.filter(party__in=active, is_primary=True).exclude(email="")
    for contact in contacts.order_by("party_id", "id"):
        primaries.setdefault(contact.party_id, contact)
    # One query for the throttle of every address: the latest survey to each address
    # surveyed within the quiet period (the sent_at index serves the range).
    quiet_since = now - timedelta(days=rules.quiet_days)
    latest = dict(
        Survey.objects.filter(sent_at__gt=quiet_since)
        .values("email")
        .annotate(last=Max("sent_at"))
        .values_list("email", "last")
    )
    teams: dict[str, Team] = {}
    for team in Team.objects.select_related("lead").order_by("id"):
        teams.setdefault(team.direction, team)
    for party in parties:
        contact = primaries.get(party.pk)
        if party.pk in done:
            summary.already += 1
        elif contact is None:
            summary.no_contact += 1
        elif not rounds.may_survey(latest.get(address(contact)), now, rules.quiet_days):
            summary.throttled += 1
        elif dry_run:
            summary.sent += 1
        else:
            outcome = _send_relationship(party, contact, team_for(party, teams), summary.round, now)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            if outcome == "sent":
                latest[address(contact)] = now  # one person can be primary of two parties
    return summary


def _send_relationship(party, contact, team, round_key, now) -> str:
    """Create and mail one survey: "sent", "already" (another run won) or "failed"."""
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                kind=Survey.Kind.RELATIONSHIP,
                party=party,
                contact=contact,
                team=team,
                channel=Survey.Channel.EMAIL,
                email=address(contact),
                token=_new_token(),
                round=round_key,
                sent_at=now,
            )
            _mail_relationship(survey)
    except IntegrityError:
        # Another run got there first (the unique round constraint): nothing to do.
        return "already"
    except OSError:  # smtplib's errors are OSErrors: nothing is kept, the next run tries again
        log.exception("relationship survey to %s not sent", contact.email)
        return "failed"
    return "sent"


def _mail_relationship(survey: Survey) -> None:
    team = survey.team
    context = {
        "survey": survey,
        "contact": survey.contact,
        "party": survey.party,
        "team": team,
        "links": [(n, link_url(survey, n)) for n in range(5, 0, -1)],
        "days": SurveySettings.current().link_days,
    }
    sender = f"{team.name} <{team.email}>" if team is not None else None
    message = EmailMessage(
        subject="How easy is it to work with us?",
        body=render_to_string("surveys/email/relationship.txt", context),
        from_email=sender,
        to=[survey.email],
        reply_to=[team.email] if team is not None else None,
        # RFC 3834: an auto-responder must not answer a message made by a program.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.send(fail_silently=False)


# --- Answers from the link page ------------------------------------------------------------------


def answer(survey: Survey, rating: int, comment: str = "") -> Survey:
    """Record the answer given on the link page; SurveyError when it may not be given."""
    who = survey.contact.name if survey.contact_id else survey.email
    if survey.kind == Survey.Kind.CASE:
        rate_case(survey.case, rating, comment, who=who)
        survey.refresh_from_db()
        return survey
    return _answer_relationship(survey, rating, comment, who)


@transaction.atomic
def _answer_relationship(survey: Survey, rating: int, comment: str, who: str) -> Survey:
    if isinstance(rating, bool) or rating not in range(1, 6):
        raise SurveyError("rating: choose from 1 to 5")
    locked = Survey.objects.select_for_update().get(pk=survey.pk)  # closes the double-click race
    if locked.answered_at is not None:
        raise SurveyError("rating: you have already answered this survey")
    locked.answered_at = timezone.now()
    locked.rating = rating
    locked.comment = comment.strip()[:COMMENT_MAX]
    fields = ["answered_at", "rating", "comment"]
    if rating <= SurveySettings.current().low_rating and locked.team_id:
        locked.follow_up = open_follow_up(
            team=survey.team,
            party=survey.party,
            contact=survey.contact,
            rating=rating,
            comment=locked.comment,
            who=who,
        )
        fields.append("follow_up")
    locked.save(update_fields=fields)
    return locked
