"""The reply coach on a case: its context comes from the case's own data, the composer's live
review, and the gate on send, which the server runs itself whatever the browser showed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ledgerdesk import coach
from ledgerdesk.desk import coaching, services
from ledgerdesk.desk.models import Message
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db

CUSTOMER = (
    "This is the third reminder. Invoice 4411 is still not paid, which is unacceptable.\n"
    "Please tell us when we will get the money."
)
GOOD = (
    "Hi Jan,\n\nI'm sorry for the wait, and thank you for your patience. Invoice 4411 for "
    "EUR 1,520.00 is scheduled: I will release the payment on Friday 27 November and e-mail "
    "you the remittance the same day.\n\nKind regards,\nAgent Morgan"
)
BAD = (
    "Dear customer,\n\nThat's not our policy. Please be advised the invoice was payed late "
    "because our system was down.\n\nRegards,\nAgent Morgan"
)


@pytest.fixture
def vendor():
    return PartyFactory(name="Acme Supplies BV")


@pytest.fixture
def case(ap_team, agent, vendor):
    contact = ContactFactory(party=vendor, name="Jan de Vries", email="jan@acme.example")
    scheduled = InvoiceFactory(
        party=vendor,
        number="4411",
        currency="EUR",
        amount_payable=Decimal("1520.00"),
        amount_open=Decimal("1520.00"),
        due_date=dt.date(2026, 11, 16),
        status="scheduled",
    )
    paid = InvoiceFactory(
        party=vendor,
        number="4468",
        currency="EUR",
        amount_payable=Decimal("300.00"),
        amount_open=Decimal("0.00"),
        due_date=None,
        status="paid",
    )
    case = services.open_case(
        team=ap_team,
        subject="Invoice 4411 not paid",
        party=vendor,
        contact=contact,
        owner=agent,
        invoices=[scheduled, paid],
    )
    for number, text in enumerate(["When will 4411 be paid?", CUSTOMER]):
        services.record_inbound(
            case,
            Message(
                message_id=f"q{number}@acme.example",
                sender_email="jan@acme.example",
                text=text,
                at=timezone.now() + dt.timedelta(seconds=number),
            ),
        )
    return case


def _reply(client, case, **data):
    return client.post(f"/desk/cases/{case.reference}/reply/", {"action": "send", **data})


def _coach(client, case, text):
    return client.post(f"/desk/cases/{case.reference}/coach/", {"text": text})


# The context -------------------------------------------------------------------------------


def test_the_context_comes_from_the_case(case):
    assert coaching.context_for(case) == {
        "contact_name": "Jan de Vries",
        "customer_message": CUSTOMER,  # the last message, not the first
        "invoices": [
            {
                "number": "4411",
                "amount": "1520.00",
                "currency": "EUR",
                "due_date": "2026-11-16",
                "status": "scheduled",
            },
            # Settled: talked about at its full amount, not at the 0.00 still open.
            {
                "number": "4468",
                "amount": "300.00",
                "currency": "EUR",
                "due_date": None,
                "status": "paid",
            },
        ],
        "incident": False,
        "sla_breached": False,
        "team": "ap",
        "language": "en",
    }
    coach.parse_context(coaching.context_for(case))  # the shape the coach documents


def test_a_breached_clock_and_an_incident_reach_the_coach(ap_team, agent):
    case = services.open_case(
        team=ap_team,
        subject="Paid twice",
        requester_email="ap@vendor.example",
        owner=agent,
        incident=True,
        opened_at=timezone.now() - dt.timedelta(days=10),
    )
    context = coaching.context_for(case)
    assert context["sla_breached"] is True and context["incident"] is True
    # Nobody known wrote and nothing is linked: unknown stays unknown, never guessed.
    assert context["contact_name"] is None and context["customer_message"] is None
    assert context["invoices"] == []


def test_a_language_without_coach_rules_is_coached_in_english(case):
    case.contact.language = "de-AT"
    case.contact.save()
    assert coaching.context_for(case)["language"] == "en"
    assert coaching.review_for_case(case, GOOD).score >= 90


def test_a_broken_team_override_falls_back_to_the_shared_rules(case, tmp_path, monkeypatch):
    (tmp_path / "ap").mkdir()
    (tmp_path / "ap" / "Blame.NotOurPolicy.yml").write_text("level: [not, valid")
    monkeypatch.setenv("LEDGERDESK_COACH_TEAMS_DIR", str(tmp_path))
    review = coaching.review_for_case(case, BAD)
    assert "Blame.NotOurPolicy" in {f.rule for f in review.findings}


# Which suggestions the composer may apply ----------------------------------------------------


def _findings(case, text):
    return coaching.for_composer(coaching.review_for_case(case, text), case, text)["findings"]


def test_apply_is_offered_for_replacements_only(case):
    findings = {f["rule"]: f for f in _findings(case, BAD)}
    # Concrete replacements of the flagged words: a substitution rule's swap value, the
    # contact's name in a greeting (one comma kept: the span stops before it).
    assert findings["Spelling.Confusables"]["replacement"] == "paid"
    assert findings["Greeting.ByName"]["excerpt"] == "Dear customer"
    assert findings["Greeting.ByName"]["replacement"] == "Hi Jan"
    # Advice and examples to adapt are shown, never applied.
    for rule in ("Blame.NotOurPolicy", "Blame.SystemExcuse", "Greeting.CannedOpener"):
        assert findings[rule]["replacement"] is None and findings[rule]["suggestion"]
    # A substitution rule whose swap values are advice says them unquoted.
    assert findings["Blame.PassiveAggressive"]["replacement"] is None
    assert findings["Blame.NotOurPolicy"]["severity_words"] == "Should fix"


def test_apply_fixes_the_ledger_facts_punctuation_and_stock_phrases(case):
    text = "Prior to Friday!!! Invoice 4411 for EUR 1,250.00 falls due on 3 December."
    findings = {f["rule"]: f for f in _findings(case, text)}
    assert findings["Clarity.PlainWords"]["replacement"] == "Before"  # sentence case kept
    assert findings["Clarity.ExclamationRun"]["replacement"] == "."
    assert findings["Accuracy.Amount"]["replacement"] == "EUR 1,520.00"
    assert findings["Accuracy.Amount"]["severity_words"] == "Must fix"
    assert findings["Accuracy.DueDate"]["replacement"] == "16 November"
    # Greeting.Missing points at the first sentence: its "Hi Jan," goes before, not instead.
    assert findings["Greeting.Missing"]["replacement"] is None


def test_an_unknown_invoice_number_is_replaced_only_when_the_case_has_one(case):
    text = "Hi Jan,\n\nInvoice 4412 was paid today. Thank you for your patience."
    [finding] = [f for f in _findings(case, text) if f["rule"] == "Accuracy.InvoiceNumber"]
    assert finding["suggestion"] == "4411, 4468" and finding["replacement"] is None


# The composer's live review ------------------------------------------------------------------


def test_the_coach_endpoint_reviews_a_draft_with_the_cases_data(agent_client, case):
    response = _coach(agent_client, case, BAD)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["threshold"] == 60 and body["score"] < 60 and body["below_threshold"] is True
    rules = {f["rule"] for f in body["findings"]}
    # The customer's frustration (their last message) asks for empathy; the contact's name
    # comes from the case.
    assert {"Blame.NotOurPolicy", "Empathy.Acknowledge", "Greeting.ByName"} <= rules
    blame = next(f for f in body["findings"] if f["rule"] == "Blame.NotOurPolicy")
    assert BAD[blame["start"] : blame["end"]] == blame["excerpt"] == "That's not our policy"


def test_the_coach_endpoint_knows_the_ledger(agent_client, case):
    body = _coach(agent_client, case, "Hi Jan, invoice 4411 for EUR 1,250.00 is paid.").json()
    [wrong] = [f for f in body["findings"] if f["category"] == "accuracy"]
    assert wrong["excerpt"] == "EUR 1,250.00" and wrong["replacement"] == "EUR 1,520.00"


def test_the_coach_endpoint_reads_a_fixed_number_of_rows(
    agent_client, case, django_assert_num_queries
):
    """It runs at every pause in typing: its queries must not grow with the case."""
    _coach(agent_client, case, BAD)  # the first call loads the rules and dictionaries
    # session, user, the user's and its groups' permissions (2), the case with its team and
    # contact, the last inbound message's text, the linked invoices with the link table.
    with django_assert_num_queries(7):
        assert _coach(agent_client, case, BAD).status_code == 200


def test_an_empty_draft_has_nothing_to_coach(agent_client, case):
    body = _coach(agent_client, case, "").json()
    assert body["score"] == 100 and body["findings"] == []


def test_an_enormous_draft_is_refused(agent_client, case):
    response = _coach(agent_client, case, "word " * 20_000)
    assert response.status_code == 413 and "longer than" in response.json()["error"]


def test_the_coach_endpoint_needs_the_csrf_token(agent, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert _coach(client, case, BAD).status_code == 403
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'data-coach-url="/desk/cases/{case.reference}/coach/"' in page
    assert "ledgerdesk/coach.js" in page


def test_the_coach_endpoint_is_for_the_console_only(client, outsider, case):
    response = _coach(client, case, BAD)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(outsider)
    assert _coach(client, case, BAD).status_code == 403


def test_the_coach_endpoint_takes_posts_only(agent_client, case):
    assert agent_client.get(f"/desk/cases/{case.reference}/coach/").status_code == 405


def test_the_coach_endpoint_answers_404_for_an_unknown_case(agent_client, case):
    assert agent_client.post("/desk/cases/AP-2026-999999/coach/", {"text": "x"}).status_code == 404


# The gate on send ----------------------------------------------------------------------------


def test_a_good_reply_goes_out_at_once_with_its_review(agent_client, case):
    response = _reply(agent_client, case, text=GOOD)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = case.messages.get(direction="out")
    assert sent.review["score"] >= 60 and sent.review["threshold"] == 60
    assert sent.review == {**coaching.review_for_case(case, GOOD).to_dict(), "threshold": 60}
    assert sent.review_override_reason == ""


def test_a_low_scoring_reply_is_not_sent_without_a_reason(agent_client, case):
    response = _reply(agent_client, case, text=BAD)
    assert response.status_code == 400
    assert mail.outbox == [] and not case.messages.filter(direction="out").exists()
    page = response.content.decode()
    score = coaching.review_for_case(case, BAD).score
    # The question, next to its field, with the findings and the draft kept.
    assert (
        f"The coach scores this reply {score} of 100, below your team&#x27;s bar of 60. "
        "Change it, or say why it should go as it is." in page
    )
    assert 'name="override_reason"' in page and "Why send it anyway?" in page
    assert "hides behind policy" in page and "Should fix" in page
    assert "because our system was down." in page  # the draft is in the textarea
    case.refresh_from_db()
    assert case.first_response_at is None


def test_with_a_reason_the_low_scoring_reply_goes_out_and_the_reason_is_kept(agent_client, case):
    reason = "The vendor asked for exactly this wording in their contract."
    response = _reply(agent_client, case, text=BAD, override_reason=reason)
    assert response.status_code == 302 and len(mail.outbox) == 1
    sent = case.messages.get(direction="out")
    assert sent.review_override_reason == reason
    assert sent.review["score"] < sent.review["threshold"] == 60
    assert "Blame.NotOurPolicy" in {f["rule"] for f in sent.review["findings"]}


def test_the_teams_threshold_decides(agent_client, case, ap_team):
    ap_team.coach_threshold = 0
    ap_team.save()
    assert _reply(agent_client, case, text=BAD).status_code == 302
    sent = case.messages.get(direction="out")
    assert sent.review["threshold"] == 0 and sent.review_override_reason == ""


def test_a_reason_for_a_reply_that_needs_none_is_not_recorded(agent_client, case):
    _reply(agent_client, case, text=GOOD, override_reason="just in case")
    assert case.messages.get(direction="out").review_override_reason == ""


def test_send_and_resolve_is_gated_too(agent_client, case):
    response = _reply(agent_client, case, text=BAD, action="send_resolve")
    assert response.status_code == 400 and mail.outbox == []
    case.refresh_from_db()
    assert case.state != "resolved"


def test_an_internal_note_is_not_coached(agent_client, case):
    response = _reply(agent_client, case, text=BAD, action="note")
    assert response.status_code == 302 and mail.outbox == []


def test_the_review_is_of_the_text_as_stored(agent_client, case):
    """Browsers post CRLF; the stored text and the review's spans use LF, as the composer."""
    _reply(agent_client, case, text=BAD.replace("\n", "\r\n"), override_reason="Agreed wording")
    sent = case.messages.get(direction="out")
    assert sent.text == BAD
    blame = next(f for f in sent.review["findings"] if f["rule"] == "Blame.NotOurPolicy")
    assert sent.text[blame["start"] : blame["end"]] == "That's not our policy"
