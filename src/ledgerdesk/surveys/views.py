"""The survey pages: the signed link page a customer opens from the e-mail, and the console's
list of surveys and answers for leads and managers.

The link page never records anything on GET: mail scanners and link previews open every
link in a message, so a GET only shows the clicked rating, pre-selected, with a comment box
and a "Send" button; the POST records it.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from ledgerdesk.core import audit
from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.desk.models import Team
from ledgerdesk.surveys import services
from ledgerdesk.surveys.forms import AnswerForm
from ledgerdesk.surveys.models import Survey, SurveySettings
from ledgerdesk.surveys.services import RATEABLE_STATES, SurveyError

RATING_FILTERS = [
    ("low", "Low"),
    *((str(n), f"{n} of 5") for n in range(5, 0, -1)),
    ("answered", "Any answer"),
    ("unanswered", "No answer yet"),
]


def _private(response):
    # The token in the address is the key to the page: keep it out of search engines and
    # out of the Referer of any link followed from it.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def answer(request, token):
    found = services.survey_from_link(token)
    if found is None:
        return _private(render(request, "surveys/link_gone.html", status=404))
    survey, clicked = found
    context = {"survey": survey, "case": survey.case, "party": survey.party}
    if survey.is_answered:
        # Answered already (here, or in the portal): say thank you; a second answer is refused.
        status = 409 if request.method == "POST" else 200
        context["refused"] = request.method == "POST"
        return _private(render(request, "surveys/answered.html", context, status=status))
    if survey.kind == Survey.Kind.CASE and survey.case.state not in RATEABLE_STATES:
        context["reopened"] = True
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, kind=survey.kind)
        if form.is_valid():
            try:
                with audit.acting_as(label=f"survey link ({survey.email})"[:150]):
                    services.answer(
                        survey, form.cleaned_data["rating"], form.cleaned_data["comment"]
                    )
            except SurveyError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 409 if "already" in exc.message else 400
            else:
                return redirect(request.path)  # the GET now says thank you
        else:
            status = 400
    else:
        form = AnswerForm(kind=survey.kind, initial={"rating": str(clicked)})
    context["form"] = form
    return _private(render(request, "surveys/answer.html", context, status=status))


def _read_filters(request) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in ("kind", "rating", "team")}


def _filtered(surveys, filters: dict[str, str], low: int):
    if filters["kind"] in Survey.Kind.values:
        surveys = surveys.filter(kind=filters["kind"])
    rating = filters["rating"]
    if rating in {"1", "2", "3", "4", "5"}:
        surveys = surveys.filter(rating=int(rating))
    elif rating == "low":
        surveys = surveys.filter(rating__lte=low)
    elif rating == "answered":
        surveys = surveys.filter(answered_at__isnull=False)
    elif rating == "unanswered":
        surveys = surveys.filter(answered_at__isnull=True)
    if filters["team"].isdigit():
        surveys = surveys.filter(team_id=int(filters["team"]))
    return surveys


@console_view(perm="surveys.view_survey")
def survey_list(request):
    """Surveys sent and their answers, newest first. Queries: the rules (threshold), the
    totals (one aggregate), the page's count, the page's rows with their case, party,
    contact, team and follow-up joined, and the teams for the filter."""
    low = SurveySettings.current().low_rating
    filters = _read_filters(request)
    surveys = _filtered(Survey.objects.all(), filters, low)
    totals = surveys.aggregate(
        sent=Count("id"),
        answered=Count("answered_at"),
        average=Avg("rating"),
        low=Count("id", filter=Q(rating__lte=low)),
    )
    page = paginate(
        request,
        surveys.select_related("case", "party", "contact", "team", "follow_up").order_by(
            "-sent_at", "-id"
        ),
    )
    context = {
        "page": page,
        "totals": totals,
        "filters": filters,
        "filtering": any(filters.values()),
        "kinds": Survey.Kind.choices,
        "ratings": RATING_FILTERS,
        "teams": list(Team.objects.order_by("name").values_list("pk", "name")),
        "low": low,
    }
    return render(request, "surveys/list.html", context)
