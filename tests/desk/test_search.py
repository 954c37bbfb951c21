"""Search over case references, subjects and message texts through the one adapter.

These run on whichever database the suite runs on (SQLite locally, PostgreSQL in CI), so
both sides of `desk.search.search_cases` are held to the same behaviour: FTS5 on SQLite,
tsvector/tsquery on PostgreSQL."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerdesk.desk import search, services
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.desk.search import search_cases, words_of
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '" OR ',
    'freight" OR "iban',
    "NEAR(",
    "NEAR(freight charge, 5)",
    "*",
    "freight*",
    "^freight",
    '"',
    "'",
    "''",
    "\\",
    "%",
    "_",
    "%_%",
    ":*",
    "subject:freight",
    "messages: iban",
    "freight & iban | !x <-> y",
    "AND OR NOT",
    "(((",
    "-freight",
    "don't",
    "日本語のテキスト",
    "💸💸",
    "straße",
    "\x00freight\x00",
    "free\u200bight",
    "a" * 5000,
    " ".join(["freight"] * 300),
    "'; DROP TABLE desk_case; --",
]


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


def test_it_finds_words_in_a_later_message(ap_team):
    _case(
        ap_team,
        "Remittance",
        "Please see the attached remittance.",
        "Any news?",
        "The Kreditorennummer is 77120, if that helps.",
    )
    assert _found("kreditorennummer") == {"Remittance"}
    assert _found("77120 remittance") == {"Remittance"}


def test_every_word_must_match_somewhere_in_the_case(cases):
    assert _found("invoice paid") == {"Payment status of invoice 4411"}
    assert _found("dispute 9001") == {"Question"}
    assert _found("freight iban") == set()


def test_case_and_accents_do_not_matter(ap_team):
    _case(ap_team, "Gutschrift fehlt", "Die Gutschrift für Rechnung 88 fehlt.")
    _case(ap_team, "Facture du café", "Bonjour, la facture du Café de la Gare est réglée ?")
    _case(ap_team, "Coffee", "The cafe on the corner sent a CREME BRULEE invoice.")
    assert _found("gutschrift") == _found("GUTSCHRIFT") == {"Gutschrift fehlt"}
    assert _found("fur rechnung") == {"Gutschrift fehlt"}
    assert _found("cafe") == _found("café") == _found("CAFÉ") == {"Facture du café", "Coffee"}
    assert _found("reglee") == {"Facture du café"}
    assert _found("crème brûlée") == {"Coffee"}


def test_words_match_as_prefixes_not_in_the_middle(cases, ap_team):
    _case(ap_team, "Remittance advice", "Remittance for invoices 4411 and 4412 attached.")
    assert _found("remit") == {"Remittance advice"}
    assert _found("pay") == {"Payment status of invoice 4411"}
    assert _found("mittance") == set()
    assert _found("invo 441") == {"Payment status of invoice 4411", "Remittance advice"}


def test_punctuation_separates_words_on_both_databases(ap_team):
    _case(ap_team, "Amounts", "We received 4411.50 EUR from ap@hub.example on 2026-03-01.")
    assert _found("4411") == {"Amounts"}
    assert _found("4411.50") == {"Amounts"}
    assert _found("hub.example") == {"Amounts"}
    assert _found("2026-03") == {"Amounts"}
    assert _found("50 eur") == {"Amounts"}


def test_it_finds_references_and_parts_of_them(cases):
    reference = cases["bank"].reference
    assert _found(reference) == {"New bank details"}
    assert _found(reference.lower()[-6:]) == {"New bank details"}
    assert _found(reference[4:10]) == {  # "026-00": inside a word, a substring of the reference
        "Payment status of invoice 4411",
        "New bank details",
        "Question",
    }


def test_a_reference_quoted_in_a_message_is_found_by_its_number(cases, ap_team):
    other = cases["payment"].reference
    _case(ap_team, "Follow-up", f"This is about {other}, which is still open.")
    number = other[-6:]
    assert _found(number) == {"Payment status of invoice 4411", "Follow-up"}
    assert _found(f"{number} still") == {"Follow-up"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises_and_is_never_syntax(cases, text):
    found = _found(text)
    ranked = list(search_cases(Case.objects.all(), text, ranked=True))
    assert len(ranked) == len(found)
    # Nothing typed may widen the search beyond the words: no OR, no NOT, no column filters.
    assert found <= {"Question"}


def test_typed_operators_are_just_words(cases):
    assert _found('freight" OR "iban') == set()
    assert _found("freight -iban") == set()
    assert _found("subject:question") == set()  # no column filter: "subject" is a word
    assert _found("\x00freight\x00") == {"Question"}


def test_nothing_for_nothing(cases):
    assert _found("") == set() and _found("  - & ") == set() and _found("* ( \" '") == set()
    assert words_of("a b a " + " ".join(f"w{n}" for n in range(20)))[:3] == ["a", "b", "w0"]


def test_edited_messages_are_searched_as_they_are_now(cases):
    message = cases["dispute"].messages.get()
    message.text = "We dispute the handling fee on 9001."
    message.save()
    assert _found("freight") == set()
    assert _found("handling") == {"Question"}
    # Bulk updates bypass save() and signals; the index follows them too.
    Message.objects.filter(pk=message.pk).update(text="Pallet surcharge", subject="Pallets")
    assert _found("handling") == set()
    assert _found("pallet surcharge") == _found("pallets") == {"Question"}


def test_edited_subjects_are_searched_as_they_are_now(ap_team):
    case = services.open_case(team=ap_team, subject="Question", requester_email="v@x.example")
    case.subject = "Freight dispute"
    case.save()
    assert _found("question") == set()
    assert _found("freight dispute") == {"Freight dispute"}
    Case.objects.filter(pk=case.pk).update(subject="Zollgebühren")
    assert _found("freight") == set()
    assert _found("zollgebuhren") == {"Zollgebühren"}


def test_deleted_messages_no_longer_match(cases, ap_team):
    case = _case(ap_team, "Two mails", "First: the pallet count.", "Second: the invoice copy.")
    case.messages.get(text__startswith="First").delete()
    assert _found("pallet") == set()
    assert _found("copy") == {"Two mails"}
    Message.objects.filter(case=case).delete()
    assert _found("copy") == set()
    assert _found("mails") == {"Two mails"}


def test_bulk_created_messages_are_found(cases):
    case = cases["bank"]
    Message.objects.bulk_create(
        [
            Message(case=case, direction="in", message_id=f"bulk-{n}@x.example", text=text)
            for n, text in enumerate(["Verified by phone.", "Kontoinhaber bestätigt."])
        ]
    )
    assert _found("phone") == _found("bestatigt") == {"New bank details"}


def test_merged_messages_are_found_on_their_new_case(cases):
    services.merge(cases["dispute"], cases["payment"])
    assert _found("freight") == {"Payment status of invoice 4411"}
    # The merged case keeps its own subject; its message took its subject along.
    assert _found("question") == {"Question", "Payment status of invoice 4411"}


def test_deleted_cases_leave_nothing_behind(cases):
    cases["dispute"].delete()
    assert _found("freight") == set() and _found("question") == set()


def test_it_narrows_the_queryset_it_is_given(cases):
    services.resolve(cases["bank"])
    assert not search_cases(Case.objects.open(), "iban").exists()


def test_ranked_puts_the_typed_reference_then_the_best_match_first(ap_team):
    once = _case(ap_team, "Question", "Something about the freight.")
    often = _case(ap_team, "Freight charge", "The freight charge is wrong.", "Freight again.")
    other = _case(ap_team, "Unrelated", "Nothing here.")
    ranked = list(search_cases(Case.objects.all(), "freight", ranked=True))
    assert ranked == [often, once]
    assert ranked[0].search_rank > ranked[1].search_rank > 0
    assert list(search_cases(Case.objects.all(), other.reference, ranked=True)) == [other]
    # A word that only matches the reference still ranks (at zero) rather than vanishing.
    assert list(search_cases(Case.objects.all(), once.reference[4:10], ranked=True)) == [
        other,
        often,
        once,
    ]


def test_the_index_is_in_place_after_all_migrations():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'desk_case_fts'")
            assert {row[0] for row in cursor.fetchall()} == {"desk_case_fts"}
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
            # A later migration that makes Django rebuild desk_case or desk_message drops
            # these with the old table; it must create them again.
            migration = importlib.import_module("ledgerdesk.desk.migrations.0003_case_search_index")
            assert set(migration.SQLITE_TRIGGERS) <= triggers
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%search_idx'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"desk_case_search_idx", "desk_message_search_idx"} <= names
            # And the queries can use them (with a handful of rows the planner would rather
            # scan, so scanning is priced out): the expressions are the indexed ones.
            sql, params = search_cases(Case.objects.all(), "freight").query.sql_with_params()
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "desk_case_search_idx" in plan and "desk_message_search_idx" in plan


def test_the_queries_use_the_expressions_the_migration_indexed():
    migration = importlib.import_module("ledgerdesk.desk.migrations.0003_case_search_index")
    indexes = migration.PG_INDEXES
    assert indexes["desk_case_search_idx"][1] == search.PG_CASE_DOCUMENT
    assert indexes["desk_message_search_idx"][1] == search.PG_MESSAGE_DOCUMENT
    # The SQL goes through the driver's %-formatting, and holds no user text.
    assert "%" not in search.PG_MESSAGE_DOCUMENT and "%" not in search.PG_CASE_DOCUMENT


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_cases_already_there(ap_team):
    _case(ap_team, "Before the index", "Written before search existed: Lieferschein 5521.")
    call_command("migrate", "desk", "0002", verbosity=0)
    try:
        _case(ap_team, "While unindexed", "Another Lieferschein.")
    finally:
        # Every app back to its latest migration: going back on desk also unapplied the
        # migrations of other apps that depend on it (the portal's ratings), and a later
        # test in this worker must find their tables.
        call_command("migrate", verbosity=0)
    assert _found("lieferschein") == {"Before the index", "While unindexed"}
    assert _found("5521") == {"Before the index"}


def test_search_page_lists_matches_with_their_clock(agent_client, cases):
    page = agent_client.get("/desk/search/?q=freight").content.decode()
    assert cases["dispute"].reference in page and cases["bank"].reference not in page
    assert "1 found" in page and 'class="clock clock-' in page
    page = agent_client.get("/desk/search/?q=zebra").content.decode()
    assert "No case or message has all these words." in page
    assert "Search case references" in agent_client.get("/desk/search/").content.decode()


def test_search_page_takes_hostile_input(agent_client, cases):
    for text in HOSTILE:
        assert agent_client.get("/desk/search/", {"q": text}).status_code == 200


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
