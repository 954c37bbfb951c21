"""The watch in the console: each check with its state, and what the checks found lately."""

from django.db.models import Count, Max
from django.shortcuts import render

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.watch import checks
from ledgerdesk.watch.models import CheckRun, CheckSetting, Finding

STATES = {"open": "Open", "resolved": "Resolved", "all": "All"}


@console_view(perm="watch.view_finding")
def overview(request):
    # 1 query: the lead's settings; absent rows mean "on, with the defaults".
    settings = {row.name: row for row in CheckSetting.objects.all()}
    # 1 query: open findings per check (watch_finding_open_idx).
    open_counts = dict(
        Finding.objects.filter(resolved_at__isnull=True)
        .values_list("check_name")
        .annotate(n=Count("id"))
        .values_list("check_name", "n")
    )
    # 1 query: the latest run of each check (watch_run_idx).
    latest = CheckRun.objects.values("check_name").annotate(last=Max("id")).values("last")
    runs = {run.check_name: run for run in CheckRun.objects.filter(pk__in=latest)}
    rows = []
    for check in checks.CHECKS:
        setting = settings.get(check.name)
        try:
            limits = check.limits(setting.thresholds if setting else {})
        except ValueError as exc:
            limits = {"error": str(exc)}
        rows.append(
            {
                "check": check,
                "enabled": setting.enabled if setting else True,
                "setting": setting,
                "limits": limits,
                "open": open_counts.get(check.name, 0),
                "run": runs.get(check.name),
            }
        )

    chosen = request.GET.get("check", "")
    state = request.GET.get("state", "open")
    findings = Finding.objects.select_related("case", "party", "invoice")
    if chosen in checks.REGISTRY:
        findings = findings.filter(check_name=chosen)
    if state == "open":
        findings = findings.filter(resolved_at__isnull=True)
    elif state == "resolved":
        findings = findings.filter(resolved_at__isnull=False)
    # 2 queries: the count and the page (watch_finding_recent_idx).
    page = paginate(request, findings.order_by("-last_seen", "-id"))
    titles = {check.name: check.title for check in checks.CHECKS}
    for finding in page:
        finding.check_title = titles.get(finding.check_name, finding.check_name)
    return render(
        request,
        "watch/overview.html",
        {
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "state": state,
            "states": STATES,
            "checks": checks.CHECKS,
        },
    )
