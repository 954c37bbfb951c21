"""Running the watch: each enabled check once, its findings remembered, one case per finding.

For each check, `run_check`:
1. asks the check what it finds now (`find()`: queries only, nothing written);
2. compares with the findings it remembers (one row per check and key):
   - new ones get a proactive case on the AP team, with the check's message as the first
     text: e-mailed to the vendor's contact when the check is vendor-facing and there is an
     address, an internal note otherwise;
   - known ones get `last_seen` moved on (a resolved one that is back is reopened, with a
     note on its case, and the case reopened if it was closed);
   - remembered open ones it no longer finds are resolved, with a note on their case;
3. records the run (`CheckRun`), which the console shows as "last run".

Running it twice opens no second case: the second run finds the same keys.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, Team
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Contact
from ledgerdesk.watch import checks
from ledgerdesk.watch.checks import Check, Found, Settings
from ledgerdesk.watch.models import CheckRun, CheckSetting, Finding

TEAM_CODE = "ap"
ACTOR = "watch"
KEY_CHUNK = 500
log = logging.getLogger(__name__)

Progress = Callable[[str, int], Callable[[], None] | None]


class WatchError(Exception):
    """The watch cannot run; the message starts with what is missing or wrong."""


@dataclass
class Outcome:
    """What one check's run came to (the command's summary line, the task's return value)."""

    check: str
    found: int = 0
    new: int = 0
    cases_opened: int = 0
    vendors_told: int = 0
    resolved: int = 0
    reopened: int = 0
    deferred: int = 0  # new findings beyond this run's cap: they open on the next runs
    seconds: float = 0.0
    skipped: str = ""  # why it did not run ("disabled")

    def as_dict(self) -> dict:
        return asdict(self)


def settings_for(names: Iterable[str] | None = None) -> list[tuple[type[Check], CheckSetting]]:
    """The checks to run with their settings (an unsaved default where a lead set nothing)."""
    wanted = list(checks.CHECKS) if names is None else [checks.get(name) for name in names]
    rows = {row.name: row for row in CheckSetting.objects.filter(name__in=[c.name for c in wanted])}
    return [(check, rows.get(check.name) or CheckSetting(name=check.name)) for check in wanted]


def run(
    names: Iterable[str] | None = None,
    *,
    dry_run: bool = False,
    now=None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Run the enabled checks once (or only the named ones), in the registry's order.

    A named check that is disabled is skipped too: switching a check off means it opens no
    cases, however the watch is started. A check that fails (a bad threshold saved around the
    admin's validation, a database error) is reported in its outcome and its run record, and
    the others still run: each finding is its own transaction, so what it did stands.
    """
    now = now or timezone.now()
    team = _team()
    owners = _Owners(team)
    outcomes = []
    with audit.acting_as(label=ACTOR):
        for check, setting in settings_for(names):
            if not setting.enabled:
                outcomes.append(Outcome(check.name, skipped="disabled"))
                continue
            try:
                limits = check.limits(setting.thresholds)
                settings = Settings(limits, now, _holidays(team))
                outcomes.append(
                    run_check(
                        check(),
                        settings,
                        team=team,
                        owners=owners,
                        dry_run=dry_run,
                        progress=progress,
                    )  # fmt: skip
                )
            except Exception as exc:
                what = "thresholds: " if isinstance(exc, ValueError) else ""
                error = f"error: {what}{exc}"[:300]
                log.exception("watch: the check %s failed", check.name)
                if not dry_run:
                    CheckRun.objects.create(check_name=check.name, started_at=now, error=error)
                outcomes.append(Outcome(check.name, skipped=error))
    return outcomes


def _team() -> Team:
    team = Team.objects.filter(code=TEAM_CODE).select_related("lead").first()
    if team is None:
        raise WatchError(f"team: no team with code {TEAM_CODE!r} to own the proactive cases")
    return team


def _holidays(team: Team) -> frozenset:
    import datetime as dt

    days = set()
    for text in (team.calendar or {}).get("holidays", []):
        try:
            days.add(dt.date.fromisoformat(str(text)))
        except ValueError:
            continue  # the desk's calendar validation reports it; the watch only skips it
    return frozenset(days)


class _Owners:
    """Who owns the next proactive case: the AP member with the fewest open cases.

    `desk.pick_owner` counts every member's open cases per case; over thousands of findings
    that count is done once here and kept up to date as cases are opened.
    """

    def __init__(self, team: Team):
        self.team = team
        self._load: dict | None = None

    def next(self):
        if self._load is None:
            members = list(
                self.team.members.filter(is_active=True).annotate(
                    load=Count("owned_cases", filter=Q(owned_cases__state__in=Case.OPEN_STATES))
                )
            )
            self._load = {m: m.load for m in members}
        if not self._load:
            return None  # desk.open_case falls back to the lead (or says there is nobody)
        owner = min(self._load, key=lambda m: (self._load[m], m.pk))
        self._load[owner] += 1
        return owner


def run_check(
    check: Check,
    settings: Settings,
    *,
    team: Team,
    owners: _Owners | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(check.name)
    found = {item.key: item for item in check.find(settings)}
    outcome.found = len(found)
    known = _known(check.name, found)
    new = [item for key, item in found.items() if key not in known]
    # In the order the check found them (most urgent first); the rest on the next runs.
    cap = settings.limits.get("max_new_cases", len(new))
    outcome.deferred = max(len(new) - cap, 0)
    new = new[:cap]
    back_ids = [pk for pk, resolved_at in known.values() if resolved_at is not None]
    back = _rows(back_ids)
    still_open = Finding.objects.filter(check_name=check.name, resolved_at__isnull=True)
    gone_ids = [pk for pk, key in still_open.values_list("pk", "key") if key not in found]
    gone = _rows(gone_ids)
    outcome.new, outcome.resolved, outcome.reopened = len(new), len(gone), len(back)
    if dry_run:
        outcome.seconds = round(time.perf_counter() - started, 3)
        return outcome

    owners = owners or _Owners(team)
    tick = progress(check.name, len(new)) if progress else None
    contacts = _contacts({item.party.pk for item in new if item.party is not None})
    for item in new:
        try:
            told = _open(check, item, settings, team, owners, contacts)
        except IntegrityError:
            # Another run (the hourly job and `ledgerdesk watch` at once) recorded this
            # finding first; its case stands and ours was rolled back with the finding.
            outcome.new -= 1
            continue
        finally:
            if tick:
                tick()
        outcome.cases_opened += 1
        outcome.vendors_told += told
    for finding in back:
        _reopen(finding, settings.now)
    for finding in gone:
        _resolve(finding, settings.now)
    # What is open now is exactly what this run saw: one UPDATE on watch_finding_open_idx.
    Finding.objects.filter(check_name=check.name, resolved_at__isnull=True).update(
        last_seen=settings.now
    )
    outcome.seconds = round(time.perf_counter() - started, 3)
    CheckRun.objects.create(
        check_name=check.name,
        started_at=settings.now,
        seconds=outcome.seconds,
        found=outcome.found,
        new=outcome.new,
        cases_opened=outcome.cases_opened,
        vendors_told=outcome.vendors_told,
        resolved=outcome.resolved,
    )
    return outcome


def _known(check_name: str, found: dict[str, Found]) -> dict[str, tuple[int, object]]:
    """The remembered findings among `found`: key -> (id, resolved_at), in chunks (SQLite caps
    parameters). Only the two columns: on the hourly run nearly every finding is known."""
    keys = list(found)
    known: dict[str, tuple[int, object]] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        rows = Finding.objects.filter(check_name=check_name, key__in=chunk).values_list(
            "key", "pk", "resolved_at"
        )
        known.update((key, (pk, at)) for key, pk, at in rows)
    return known


def _rows(ids: list[int]) -> list[Finding]:
    rows: list[Finding] = []
    for start in range(0, len(ids), KEY_CHUNK):
        chunk = ids[start : start + KEY_CHUNK]
        rows += Finding.objects.filter(pk__in=chunk).select_related("case")
    return rows


def _contacts(party_ids: set[int]) -> dict[int, Contact]:
    """Each party's contact to write to: the primary one with an e-mail address first."""
    best: dict[int, Contact] = {}
    ids = sorted(party_ids)
    for start in range(0, len(ids), KEY_CHUNK):
        rows = Contact.objects.filter(party_id__in=ids[start : start + KEY_CHUNK]).order_by(
            "party_id", "-is_primary", "id"
        )
        for contact in rows:
            current = best.get(contact.party_id)
            if current is None or (not current.email and contact.email):
                best[contact.party_id] = contact
    return best


@transaction.atomic
def _open(check: Check, item: Found, settings: Settings, team: Team, owners, contacts) -> bool:
    """One finding, one case. True when the vendor was e-mailed."""
    contact = contacts.get(item.party.pk) if item.party is not None else None
    tell_vendor = check.vendor_facing and contact is not None and bool(contact.email)
    text = check.message(
        item,
        settings,
        to=contact.name if tell_vendor else "",
        team=team.name,
    )
    case = desk.open_case(
        team=team,
        subject=check.subject(item, settings),
        text=text,
        channel=Case.Channel.PROACTIVE,
        category=check.category,
        party=item.party,
        contact=contact,
        invoices=[item.invoice] if item.invoice is not None else [],
        owner=owners.next(),
        opened_at=settings.now,
    )
    subject = item.subject
    Finding.objects.create(
        check_name=check.name,
        key=item.key,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
        party=item.party,
        invoice=item.invoice,
        kind=item.kind,
        summary=item.summary[:300],
        facts=_jsonable(item.facts),
        case=case,
        vendor_told=tell_vendor,
        first_seen=settings.now,
        last_seen=settings.now,
    )
    desk.event(case, "system", f"Opened by the watch: {check.title}.", settings.now)
    if tell_vendor:
        outbound.send(case, text, at=settings.now)
    else:
        why = "" if not check.vendor_facing else " (no e-mail address on file for the vendor)"
        desk.add_note(case, f"For the team{why}:\n\n{text}")
    return tell_vendor


def _jsonable(facts: dict) -> dict:
    return {k: v if isinstance(v, int | float | list | bool) else str(v) for k, v in facts.items()}


@transaction.atomic
def _reopen(finding: Finding, now) -> None:
    finding.resolved_at = None
    finding.last_seen = now
    finding.save(update_fields=["resolved_at", "last_seen"])
    case = finding.case
    if case is None:
        return
    desk.add_note(case, f"The watch sees this again: {finding.summary}.")
    if case.state in (Case.State.RESOLVED, Case.State.CLOSED):
        desk.change_state(case, Case.State.OPEN, "Reopened by the watch: the problem is back.")


@transaction.atomic
def _resolve(finding: Finding, now) -> None:
    finding.resolved_at = now
    finding.save(update_fields=["resolved_at"])
    if finding.case is not None:
        desk.add_note(
            finding.case,
            f"The watch no longer sees this: {finding.summary}. "
            "Resolve the case once the vendor has what they need.",
        )
