"""Properties that hold for any text and any context of the documented shape."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.coach import CATEGORIES, review
from ledgerdesk.coach.document import Document
from ledgerdesk.coach.model import score_findings

# Fragments of real replies, so that generated texts reach the checks' deeper
# paths (amounts next to invoice numbers, quotes, dates) and not only noise.
FRAGMENTS = [
    "Hi Anna,", "Dear customer,", "Invoice 4411 for 1,250.00 EUR", "is due on 3 May 2026.",
    "> That's not our policy!!", "On Mon, 4 May 2026, Anna wrote:", "I will pay it by Friday.",
    "Let me know if you need anything else.", "Our system is having issues.", "URGENT",
    "GRN (goods receipt note)", "We will take legal action.", "recieved", "€1.520,00",
    "\n\n", "\n", " ", '"', "“quoted”", "Kind regards,\nMarta", "invoices 12, 13 and 14",
    "03/05/2026", "!!", "?!", "INV-2026-0042", "Thank you for your patience.",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map(
        " ".join
    ),
)
amounts = st.one_of(
    st.integers(min_value=-10**9, max_value=10**9),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9,
                max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.sampled_from(["1,520.00", "1.520,00", "1520", "0.01"]),
    st.none(),
)  # fmt: skip
invoices = st.fixed_dictionaries(
    {"number": st.one_of(st.text(min_size=1, max_size=15).filter(str.strip),
                         st.sampled_from(["4411", "INV-2026-0042", "12"]))},
    optional={
        "amount": amounts,
        "currency": st.one_of(st.sampled_from(["EUR", "USD", "GBP", "sek"]), st.none()),
        "due_date": st.one_of(st.dates(min_value=date(1990, 1, 1)).map(date.isoformat), st.none()),
        "status": st.one_of(st.sampled_from(["open", "paid", "blocked"]), st.none()),
    },
)  # fmt: skip
contexts = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "contact_name": st.one_of(st.text(max_size=30), st.none()),
            "customer_message": st.one_of(texts, st.none()),
            "invoices": st.one_of(st.lists(invoices, max_size=4), st.none()),
            "incident": st.one_of(st.booleans(), st.none()),
            "reminder_level": st.one_of(st.integers(min_value=0, max_value=9), st.none()),
            "sla_breached": st.one_of(st.booleans(), st.none()),
            "first_time_late": st.one_of(st.booleans(), st.none()),
        },
    ),
)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@SETTINGS
@given(text=texts, context=contexts)
def test_it_never_raises_and_returns_a_well_formed_review(text, context):
    result = review(text, context)
    assert 0 <= result.score <= 100
    assert result.score == score_findings(result.findings)
    for finding in result.findings:
        assert finding.category in CATEGORIES
        assert finding.severity in ("error", "warning", "suggestion")
        assert finding.message


@SETTINGS
@given(text=texts, context=contexts)
def test_spans_lie_inside_the_text_on_the_agents_own_words(text, context):
    result = review(text, context)
    doc = Document(text, (context or {}).get("customer_message"))
    for finding in result.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        flagged = text[finding.start : finding.end]
        assert flagged.strip(), finding
        assert not doc.is_quoted(finding.start), finding


@SETTINGS
@given(text=texts, context=contexts)
def test_it_is_deterministic(text, context):
    assert review(text, context).to_dict() == review(text, context).to_dict()


@SETTINGS
@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2))
def test_a_correct_amount_is_never_flagged_in_any_written_form(amount):
    context = {"invoices": [{"number": "4411", "amount": str(amount), "currency": "EUR"}]}
    english = f"{amount:,.2f}"
    european = english.replace(",", " ").replace(".", ",").replace(" ", ".")
    for written in (f"EUR {english}", f"{european} EUR", f"€{english}", english):
        text = f"Hi,\n\nInvoice 4411 for {written} will be paid on 7 May. Thanks!\n"
        assert "accuracy" not in review(text, context).categories, written


@SETTINGS
@given(phrase=st.sampled_from(["That's not our policy.", "As per my last e-mail, it is paid.",
                               "We will take legal action.", "Our system is having issues."]),
       noise=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))  # fmt: skip
def test_quoted_lines_are_never_judged(phrase, noise):
    text = (
        "Hi Anna,\n\nThanks, it is paid as of today.\n\n> "
        + phrase
        + " "
        + noise.replace("\n", " ")
    )
    context = {"contact_name": "Anna", "reminder_level": 0}
    quoted_at = text.index("> ")
    assert all(f.start < quoted_at for f in review(text, context).findings)
