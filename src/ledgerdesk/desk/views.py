"""The agent console's desk pages: the queues, search, quarantine and attachment downloads.

The case page and its actions live in `views_case.py`.

Queue pages cost the same number of queries for 3 cases as for 50: the rows are
one query joined with their team, party and owner, and each row's SLA clock words
are computed in Python from the JSON on the case and the calendar on the team.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.db.models.functions import Length
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.desk import clocks
from ledgerdesk.desk.models import Attachment, Case, Team
from ledgerdesk.desk.search import search_cases
from ledgerdesk.mail.models import QuarantinedMail

# Most at risk first: the nearest running deadline (a breached one lies in the past), then
# cases whose clocks are all paused or met, oldest first. The queue indexes
# (owner|team, state, next_due) serve this order.
QUEUE_ORDER = (F("next_due").asc(nulls_last=True), "opened_at", "id")
ROW_RELATED = ("team", "party", "owner")
OPEN_STATE_CHOICES = [(s.value, s.label) for s in Case.OPEN_STATES]
TIER_CHOICES = [("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")]


def case_rows(cases, now=None) -> list[dict]:
    """Each case with its most urgent SLA clock, for the queue and search tables.

    `cases` must have the team joined: the clocks run on the team's calendar.
    """
    now = now or timezone.now()
    # Last activity is the last message either way: `updated_at` also moves when the SLA
    # sweep or an import touches the row, which tells the agent nothing.
    return [
        {
            "case": case,
            "clock": clocks.worst(case, now),
            "activity": case.last_message_at or case.opened_at,
        }
        for case in cases
    ]


def _read_filters(request, *, with_owner: bool) -> dict[str, str]:
    names = ["tier", "state", "category", "party"] + (["owner"] if with_owner else [])
    return {name: request.GET.get(name, "").strip() for name in names}


def _filtered(cases, filters: dict[str, str]):
    if filters["tier"] in {"1", "2", "3"}:
        cases = cases.filter(tier=int(filters["tier"]))
    if filters["state"] in {s.value for s in Case.OPEN_STATES}:
        cases = cases.filter(state=filters["state"])
    if filters["category"] in Case.Category.values:
        cases = cases.filter(category=filters["category"])
    if filters["party"].isdigit():  # a link from the party's page
        cases = cases.filter(party_id=int(filters["party"]))
    elif filters["party"]:
        cases = cases.filter(party__name__icontains=filters["party"])
    if filters.get("owner", "").isdigit():
        cases = cases.filter(owner_id=int(filters["owner"]))
    return cases


def _queue(request, cases, *, title: str, team: Team | None):
    filters = _read_filters(request, with_owner=team is not None)
    page = paginate(
        request, _filtered(cases, filters).select_related(*ROW_RELATED).order_by(*QUEUE_ORDER)
    )
    owners = []
    if team is not None:
        owners = (
            get_user_model()
            .objects.filter(Q(desk_teams=team) | Q(pk=team.lead_id))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
    context = {
        "title": title,
        "team": team,
        "teams": Team.objects.all(),
        "page": page,
        "rows": case_rows(page),
        "filters": filters,
        "filtering": any(filters.values()),
        "owners": owners,
        "states": OPEN_STATE_CHOICES,
        "tiers": TIER_CHOICES,
        "categories": Case.Category.choices,
    }
    return render(request, "desk/queue.html", context)


@console_view(perm="desk.view_case")
def my_queue(request):
    cases = Case.objects.open().filter(owner=request.user)
    return _queue(request, cases, title="My queue", team=None)


@console_view(perm="desk.view_case")
def team_queue(request, code):
    team = get_object_or_404(Team, code=code)
    cases = Case.objects.open().filter(team=team)
    return _queue(request, cases, title=f"{team.name} queue", team=team)


@console_view(perm="desk.view_case")
def search(request):
    text = request.GET.get("q", "").strip()
    cases = search_cases(Case.objects.all(), text)
    page = paginate(request, cases.select_related(*ROW_RELATED).order_by("-opened_at", "-id"))
    context = {"q": text, "page": page, "rows": case_rows(page), "teams": Team.objects.all()}
    return render(request, "desk/search.html", context)


@console_view(perm="desk.view_attachment")
def attachment(request, pk):
    """An attachment of a case's message, as a download (never shown inline: it came from
    outside, and an HTML attachment must not run in the console's origin)."""
    item = get_object_or_404(Attachment, pk=pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file of this attachment is missing from storage.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type or "application/octet-stream",
    )


@console_view(perm="mail.view_quarantinedmail")
def quarantine(request):
    show_all = request.GET.get("show") == "all"
    # The raw bytes stay in the database; the list only needs their size.
    mails = QuarantinedMail.objects.defer("raw").annotate(size=Length("raw"))
    if not show_all:
        mails = mails.filter(released_at__isnull=True)
    context = {
        "page": paginate(request, mails.order_by("-received_at", "-id")),
        "show_all": show_all,
        "teams": Team.objects.all(),
    }
    return render(request, "desk/quarantine.html", context)


@console_view(perm="mail.view_quarantinedmail")
def quarantine_raw(request, pk):
    """The quarantined message exactly as received, to open in a mail program."""
    mail = get_object_or_404(QuarantinedMail, pk=pk)
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="quarantined-{mail.pk}.eml"'
    return response
