"""Properties of the cash-matching engine that hold for any book and any bank lines."""

import datetime as dt
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.receivables.matchcore import text
from ledgerdesk.receivables.matching import BankLine, Config, OpenItem, match

START = dt.date(2026, 6, 1)
THRESHOLD = Config().auto_threshold
PARTIES = {
    1: ("Acme Trading GmbH", ("DE89370400440532013000",)),
    2: ("Brandt Logistik AG", ("NL91ABNA0417164300",)),
    3: ("Brandt Logistik BV", ()),
    4: ("Chen & Co Ltd", ("GB29NWBK60161331926819",)),
}
NOISE = ["Payment", "Invoice", "PO 4711", "thanks", "Rechnung", "SI", "2026", "RF18", ",", "-"]

amounts = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=200).map(lambda d: START + dt.timedelta(days=d))


@st.composite
def books(draw):
    count = draw(st.integers(min_value=1, max_value=14))
    # Few distinct amounts on purpose: ties and combinations are where engines go wrong.
    palette = draw(st.lists(amounts, min_size=1, max_size=5))
    items = []
    for key in range(1, count + 1):
        party = draw(st.sampled_from(sorted(PARTIES)))
        name, accounts = PARTIES[party]
        amount = draw(st.one_of(st.sampled_from(palette), amounts))
        issued = draw(days)
        discount = draw(
            st.sampled_from([Decimal("0"), (amount * Decimal("0.02")).quantize(Decimal("0.01"))])
        )
        items.append(
            OpenItem(
                key=key * 7,
                number=f"SI-{issued:%y%m%d}-{key:04d}",
                party_key=party,
                party_name=name,
                currency=draw(st.sampled_from(["EUR", "EUR", "EUR", "USD"])),
                amount_open=amount,
                amount_total=amount,
                issue_date=issued,
                due_date=issued + dt.timedelta(days=30),
                payment_reference=text.rf_with_check(f"{key:08d}"),
                party_accounts=accounts,
                discount_amount=discount if discount < amount else Decimal("0"),
                discount_until=issued + dt.timedelta(days=10) if discount else None,
            )
        )
    return items


@st.composite
def lines_for(draw, items):
    lines = []
    for key in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        picked = draw(st.lists(st.sampled_from(items), max_size=3, unique_by=lambda i: i.key))
        words = [
            draw(st.sampled_from([i.number, i.number.replace("0", "O"), i.payment_reference]))
            for i in picked
        ]
        words += draw(st.lists(st.sampled_from(NOISE), max_size=3))
        party = draw(st.sampled_from(sorted(PARTIES)))
        base = sum((i.amount_open for i in picked), Decimal("0"))
        amount = draw(st.one_of(amounts, st.just(base) if base > 0 else amounts))
        amount += draw(st.sampled_from([Decimal("0"), Decimal("-12.50"), Decimal("50.00")]))
        lines.append(
            BankLine(
                key=key,
                amount=amount if amount > 0 else Decimal("1.00"),
                currency=draw(st.sampled_from(["EUR", "EUR", "USD"])),
                booking_date=draw(days),
                remittance=" ".join(draw(st.permutations(words))),
                counterparty_name=draw(st.sampled_from([PARTIES[party][0], "", "Nobody Ltd"])),
                counterparty_account=draw(st.sampled_from([*PARTIES[party][1], ""])),
            )
        )
    return lines


@st.composite
def cases(draw):
    items = draw(books())
    return items, draw(lines_for(items))


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_allocations_never_exceed_the_payment_or_an_open_amount(case):
    items, lines = case
    proposals = match(lines, items)
    assert [p.line_key for p in proposals] == [line.key for line in lines]
    by_key = {item.key: item for item in items}
    settled = dict.fromkeys(by_key, Decimal("0"))
    for line, proposal in zip(lines, proposals, strict=True):
        allocated = sum((a.amount for a in proposal.allocations), Decimal("0"))
        assert allocated <= line.amount
        assert proposal.unapplied == line.amount - allocated
        assert 0.0 <= proposal.confidence <= 1.0
        assert proposal.reason
        for allocation in proposal.allocations:
            assert allocation.amount > 0
            assert allocation.deduction >= 0
            assert by_key[allocation.item_key].currency == line.currency
            settled[allocation.item_key] += allocation.amount + allocation.deduction
    for key, total in settled.items():
        assert total <= by_key[key].amount_open


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_output_whatever_the_order_of_the_items(case, rnd):
    items, lines = case
    first = match(lines, items)
    assert match(lines, items) == first
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert match(lines, shuffled) == first


@FAST
@given(books(), st.data())
def test_a_remittance_naming_one_invoice_with_its_exact_amount_pays_that_invoice(items, data):
    target = data.draw(st.sampled_from(items))
    noise = data.draw(st.lists(st.sampled_from(NOISE), max_size=3))
    words = data.draw(st.permutations([target.number, *noise]))
    line = BankLine(
        key=1,
        amount=target.amount_open,
        currency=target.currency,
        booking_date=data.draw(days),
        remittance=" ".join(words),
        counterparty_name=data.draw(st.sampled_from(["", "Nobody Ltd", target.party_name])),
    )
    (proposal,) = match([line], items)
    assert [(a.item_key, a.amount) for a in proposal.allocations] == [
        (target.key, target.amount_open)
    ]
    assert proposal.confidence >= THRESHOLD


SLIPS = {"0": "Oo", "1": "Il", "5": "Ss", "8": "B"}


@st.composite
def slipped_numbers(draw):
    # Numbers as businesses print them: a letter prefix and at least two groups of digits.
    prefix = draw(st.text(alphabet="ABCDEFGHJKMNPRTUVWXY", min_size=1, max_size=4))
    groups = draw(st.lists(st.integers(min_value=0, max_value=999_999), min_size=2, max_size=3))
    widths = draw(st.lists(st.integers(min_value=4, max_value=6), min_size=3, max_size=3))
    number = "-".join([prefix, *(f"{g:0{w}d}" for g, w in zip(groups, widths, strict=False))])
    rnd = random.Random(draw(st.integers(min_value=0, max_value=10**9)))
    written = []
    for ch in number:
        roll = rnd.random()
        if ch in SLIPS and roll < 0.3:
            written.append(rnd.choice(SLIPS[ch]))
        elif ch == "-" and roll < 0.3:
            written.append(rnd.choice(["", " ", " - ", "/", "--"]))
        elif ch.isalpha() and roll < 0.3:
            written.append(ch.lower())
        else:
            written.append(ch)
    slipped = "".join(written)
    if draw(st.booleans()):  # the leading zeros of the last group dropped
        head, sep, tail = number.rpartition("-")
        slipped = f"{head}-{tail.lstrip('0') or '0'}"
    return number, slipped


@settings(max_examples=300, deadline=None)
@given(slipped_numbers(), amounts)
def test_any_ocr_or_typing_slip_of_a_number_still_finds_it(numbers, amount):
    number, written = numbers
    items = [
        OpenItem(1, number, 1, "Acme", "EUR", amount, amount, START),
        OpenItem(2, "ZZ-999999-9999", 1, "Acme", "EUR", amount, amount, START),
    ]
    line = BankLine(1, amount, "EUR", START, f"Payment {written} thank you")
    (proposal,) = match([line], items)
    assert [a.item_key for a in proposal.allocations] == [1], (written, proposal.reason)
    assert proposal.confidence >= THRESHOLD
