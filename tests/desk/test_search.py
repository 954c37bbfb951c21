"""Search over case references, subjects and message texts through the one adapter.

These run on whichever database the suite runs on (SQLite locally, PostgreSQL in CI), so
both sides of `desk.search.search_cases` are held to the same behaviour."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.desk.search import search_cases, words_of
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def _case(team, subject, *texts):
    case = services.open_case(team=team, subject=subject, requester_email="v@vendor.example")
    for n, text in enumerate(texts):
        services.record_inbound(
            case, Message(message_id=f"{case.reference}-{n}@x.example", subject=subject, text=text)
        )
    return case


@pytest.fixture
def cases(ap_team):
    return {
        "payment": _case(ap_team, "Payment status of invoice 4411", "Hello, has it been paid?"),
        "bank": _case(ap_team, "New bank details", "Our IBAN changed, letter attached."),
        "dispute": _case(ap_team, "Question", "We dispute the freight charge on 9001."),
    }


def _found(text):
    return set(search_cases(Case.objects.all(), text).values_list("subject", flat=True))


def test_it_finds_words_in_subjects(cases):
    assert _found("payment") == {"Payment status of invoice 4411"}
    assert _found("BANK") == {"New bank details"}


def test_it_finds_words_in_message_text(cases):
    assert _found("freight") == {"Question"}
    assert _found("iban") == {"New bank details"}


def test_every_word_must_match_somewhere_in_the_case(cases):
    assert _found("invoice paid") == {"Payment status of invoice 4411"}
    assert _found("dispute 9001") == {"Question"}
    assert _found("freight iban") == set()


def test_it_finds_references_and_parts_of_them(cases):
    reference = cases["bank"].reference
    assert _found(reference) == {"New bank details"}
    assert _found(reference.lower()[-6:]) == {"New bank details"}


def test_nothing_for_nothing(cases):
    assert _found("") == set() and _found("  - & ") == set()
    assert words_of("a b a " + " ".join(f"w{n}" for n in range(20)))[:3] == ["a", "b", "w0"]


def test_it_narrows_the_queryset_it_is_given(cases):
    services.resolve(cases["bank"])
    assert not search_cases(Case.objects.open(), "iban").exists()


def test_search_page_lists_matches_with_their_clock(agent_client, cases):
    page = agent_client.get("/desk/search/?q=freight").content.decode()
    assert cases["dispute"].reference in page and cases["bank"].reference not in page
    assert "1 found" in page and 'class="clock clock-' in page
    page = agent_client.get("/desk/search/?q=zebra").content.decode()
    assert "No case or message has all these words." in page
    assert "Search case references" in agent_client.get("/desk/search/").content.decode()


def test_search_page_query_count_is_constant(agent_client, ap_team):
    def add(n):
        for _ in range(n):
            case = _case(ap_team, "Remittance question", "remittance advice attached")
            case.party = PartyFactory()
            case.save()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert agent_client.get("/desk/search/?q=remittance").status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(20)
    # session, user, permissions (user, group), the role's groups, the teams for the menu,
    # the pagination count, the page of matching cases joined with team, party and owner.
    assert few == count() == 8
