"""The reply coach in a real browser: findings appear as the agent types, a suggestion is
applied with one click, and a reply still below the team's bar goes out only with a reason,
which is stored with the reply and its review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Message
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = (
    "Dear customer,\n\nThat's not our policy, and it is not my department either. Please be "
    "advised the invoice was payed late because our system was down.\n\nRegards,\nAgent Morgan"
)
FIXED = DRAFT.replace("Dear customer", "Hi Jan").replace("payed", "paid")
REASON = "Jan asked for a short answer; I am calling him this afternoon."


@pytest.fixture
def case(ap_team, agent):
    acme = PartyFactory(name="Acme Supplies BV")
    contact = ContactFactory(party=acme, name="Jan de Vries", email="jan@acme.example")
    invoice = InvoiceFactory(
        party=acme,
        number="4411",
        amount_payable=Decimal("1520.00"),
        amount_open=Decimal("1520.00"),
        due_date=dt.date(2026, 11, 16),
        status="scheduled",
    )
    case = services.open_case(
        team=ap_team,
        subject="Invoice 4411 - when will it be paid?",
        party=acme,
        contact=contact,
        owner=agent,
        invoices=[invoice],
    )
    services.record_inbound(
        case,
        Message(
            message_id="q1@acme.example",
            sender_email="jan@acme.example",
            text="This is the third reminder: invoice 4411 is still not paid. When will it be?",
        ),
    )
    return case


def _selected(page) -> str:
    return page.evaluate(
        "() => { const t = document.querySelector('#id_text');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )


def test_the_coach_reviews_as_the_agent_types_and_guards_the_send(page, case):
    sign_in(page, "agent")
    page.goto(case.get_absolute_url())
    reason_field = page.locator("#id_override_reason")
    expect(page.locator("#coach")).to_be_hidden()
    expect(reason_field).to_be_hidden()

    page.locator("#id_text").press_sequentially(DRAFT)

    # The blame phrase is flagged inline within a few seconds, severity in words and colour.
    blame = page.locator(".coach-finding", has_text="hides behind policy")
    expect(blame).to_be_visible(timeout=5_000)
    expect(blame.locator(".coach-severity")).to_have_text("Should fix")
    expect(blame).to_have_css("border-left-color", "rgb(146, 64, 14)")  # --warn, amber
    expect(page.locator(".coach-score")).to_contain_text("below your team’s bar of 60")
    # Advice is shown to adapt, never applied.
    expect(blame.locator(".coach-apply")).to_have_count(0)
    expect(blame.locator(".coach-tip")).to_contain_text("here is what I can do")

    # Clicking a finding selects its words in the reply.
    blame.locator(".coach-excerpt").click()
    assert _selected(page) == "That's not our policy"

    # One click applies a replacement; the coach reviews the new text at once.
    page.get_by_role("button", name="Apply “paid”").click()
    page.get_by_role("button", name="Apply “Hi Jan”").click()
    expect(page.locator("#id_text")).to_have_value(FIXED)
    expect(page.locator(".coach-apply")).to_have_count(0)
    expect(page.locator(".coach-finding", has_text="misspelt")).to_have_count(0)

    # Still below the bar: the reason field is offered; sending without one is refused.
    expect(reason_field).to_be_visible()
    page.click("button[value=send]")
    expect(page.locator(".coach-reason .error")).to_contain_text(
        "Change it, or say why it should go as it is."
    )
    assert mail.outbox == []
    expect(page.locator("#id_text")).to_have_value(FIXED)  # the draft is kept

    reason_field.fill(REASON)
    page.click("button[value=send]")
    expect(page.get_by_text("Reply sent to jan@acme.example.")).to_be_visible()

    [sent] = mail.outbox
    assert sent.body == FIXED
    reply = case.messages.get(direction="out")
    assert reply.text == FIXED and reply.review_override_reason == REASON
    assert reply.review["threshold"] == 60 and reply.review["score"] < 60
    rules = {f["rule"] for f in reply.review["findings"]}
    assert {"Blame.NotOurPolicy", "Blame.NotMyJob", "Blame.SystemExcuse"} <= rules
    assert not rules & {"Spelling.Confusables", "Greeting.ByName"}  # applied before sending
    blame_finding = next(f for f in reply.review["findings"] if f["rule"] == "Blame.NotOurPolicy")
    assert reply.text[blame_finding["start"] : blame_finding["end"]] == "That's not our policy"


def test_a_good_reply_goes_straight_out(page, case):
    sign_in(page, "agent")
    page.goto(case.get_absolute_url())
    page.fill(
        "#id_text",
        "Hi Jan,\n\nI'm sorry for the wait, and thank you for your patience. Invoice 4411 for "
        "EUR 1,520.00 is scheduled: I will release the payment on Friday 27 November and e-mail "
        "you the remittance the same day.\n\nKind regards,\nAgent Morgan",
    )
    expect(page.locator(".coach-score")).to_contain_text("meets your team’s bar of 60")
    expect(page.locator("#id_override_reason")).to_be_hidden()
    page.click("button[value=send]")
    expect(page.get_by_text("Reply sent to jan@acme.example.")).to_be_visible()
    reply = case.messages.get(direction="out")
    assert reply.review["score"] >= 60 and reply.review_override_reason == ""
