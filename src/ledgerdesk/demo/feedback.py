"""What the demo's vendors and customers said: surveys sent through the real path, and
answered by some, so the insight dashboards have satisfaction to show.

Most answers are good, some are lukewarm, a few are poor (each of those opens a follow-up case
for the team lead, as a real low rating does). Relationship surveys go to every active party;
about a third answer.
"""

from __future__ import annotations

import random

from ledgerdesk.desk.models import Case
from ledgerdesk.surveys import services as surveys
from ledgerdesk.surveys.models import Survey

RATINGS = (5, 5, 5, 5, 4, 4, 4, 3, 2, 1)
CASE_COMMENTS = {
    5: ("Quick and clear, thank you.", "Sorted the same day.", ""),
    4: ("Good, but it took two e-mails.", ""),
    3: ("Answered, but I had to chase.",),
    2: ("The reply did not say when we would be paid.",),
    1: ("Three weeks and still no payment date.",),
}
RELATIONSHIP_COMMENTS = {
    5: ("The portal saves us a lot of calls.", ""),
    4: ("Mostly easy. Remittance advice could come sooner.", ""),
    3: ("Invoices get stuck without an order number and we only hear weeks later.",),
    2: ("Hard to find out who approves our invoices.",),
    1: ("Payments are late every month.",),
}


def seed(seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    answered = sent = 0
    for case in Case.objects.filter(state=Case.State.RESOLVED).order_by("pk"):
        outcome = surveys.send_case_survey(case.pk)
        if not outcome.sent:
            continue
        sent += 1
        if rng.random() < 0.7:
            rating = rng.choice(RATINGS)
            surveys.answer(outcome.survey, rating, rng.choice(CASE_COMMENTS[rating]))
            answered += 1
    summary = surveys.send_relationship_surveys()
    for survey in Survey.objects.filter(kind=Survey.Kind.RELATIONSHIP, answered_at=None):
        if rng.random() < 0.33:
            rating = rng.choice(RATINGS)
            surveys.answer(survey, rating, rng.choice(RELATIONSHIP_COMMENTS[rating]))
            answered += 1
    return {
        "surveys_sent": sent + summary.sent,
        "surveys_answered": answered,
    }
