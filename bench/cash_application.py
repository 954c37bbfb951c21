"""Cash application: the matching engine on a generated book with known truth.

    .venv/bin/python bench/cash_application.py           # 50,000 lines, 1,000,000 open items
    .venv/bin/python bench/cash_application.py --quick   # 2,000 lines, 40,000 open items
    .venv/bin/python bench/cash_application.py --seeds 5 # and five other books of that size

With a fixed seed it makes ~20,000 customers (40 per 2,000 items in --quick) with names, IBANs,
currencies, payment terms, some with an early-payment discount, some billed the same amount every
time; their open invoices ("SI-YYMMDD-NNNN", each with an RF creditor reference), most issued in
the last three months with a tail of old overdue ones; and two weeks of bank lines paying them
the way customers pay:

- identification: the invoice number as typed (several spellings), the number with OCR or typing
  slips, the RF reference (field or text), only the payer's known account with a generic text,
  only the payer's name from a new account (sometimes cut short by the bank or a different legal
  form), nothing usable at all (unidentifiable cash), or a duplicate of an earlier payment;
- amount: the open amount, several invoices in one payment (2–6 due one after the other, a
  quarter of them with one invoice held back), less the early-payment discount, less a bank
  fee of 5–25 (cross-border customers only: within SEPA the payee is credited in full), short
  (by more than a fee: a deduction), over, half (an instalment).

The truth of every line is kept; the engine's proposals are compared with it. A line is applied
automatically when its confidence reaches the threshold; it is right when its allocations
(item, amount, deduction and the kind of deduction) are exactly the truth's. Progress goes to
stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal

from _setup import ROOT, emit

sys.path.insert(0, str(ROOT / "src"))

from ledgerdesk.receivables.matching import BankLine, Config, OpenItem, match  # noqa: E402

SEED = 20261125
TODAY = dt.date(2026, 11, 20)
CENT = Decimal("0.01")

# How customers identify a payment, and how they pay it (shares of all lines).
IDENTIFICATION = {
    "number": 0.61,
    "number with slips": 0.09,
    "RF reference": 0.10,
    "account only": 0.13,
    "name only": 0.05,
    "unidentifiable": 0.015,
    "duplicate payment": 0.005,
}
AMOUNT = {
    "exact": 0.78,
    "several invoices": 0.08,
    "discount taken": 0.05,  # only customers offered a discount, paying within its days
    "bank fee": 0.03,
    "short": 0.03,
    "over": 0.02,
    "instalment": 0.01,
}

SYLLABLES = [
    "al",
    "ber",
    "bran",
    "cor",
    "dal",
    "del",
    "fen",
    "gar",
    "hal",
    "har",
    "kel",
    "kor",
    "lan",
    "lin",
    "mar",
    "mer",
    "nor",
    "os",
    "pal",
    "ren",
    "ros",
    "sal",
    "san",
    "ter",
    "tor",
    "val",
    "ven",
    "wer",
    "wil",
    "zan",
    "bru",
    "cha",
    "eck",
    "fal",
    "gro",
    "hei",
    "jan",
    "kra",
    "lud",
    "mon",
    "rei",
    "sto",
    "tha",
]
TRADES = [
    "Maschinenbau",
    "Logistik",
    "Handel",
    "Trading",
    "Foods",
    "Bau",
    "Elektro",
    "Systems",
    "Retail",
    "Textil",
    "Chemie",
    "Medical",
    "Pharma",
    "Software",
    "Metall",
    "Holz",
    "Druck",
    "Papier",
    "Energie",
    "Transport",
    "Automotive",
    "Agrar",
    "Optik",
    "Verpackung",
    "Interiors",
    "Consulting",
    "Engineering",
    "Supplies",
    "Hospitality",
    "Garden",
]
LEGAL = ("GmbH", "GmbH & Co. KG", "AG", "B.V.", "Ltd", "Limited", "Inc.", "S.A.", "S.r.l.", "Oy")
CURRENCIES = (("EUR", 80), ("USD", 8), ("GBP", 7), ("CHF", 5))
GENERIC_TEXT = ("Payment", "Zahlung", "Überweisung", "", "Sammelzahlung", "Payment run 47")
FEES = tuple(Decimal(f) for f in ("5.00", "7.50", "10.00", "12.50", "15.00", "20.00", "25.00"))
PEOPLE = ("Holger Jansen", "M. Petersen", "Carla Ruiz", "J SMITH", "Anna-Lena Vogt", "")


def iban(rng: random.Random, country: str = "DE") -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    numeric = bban + str(int(country[0], 36)) + str(int(country[1], 36)) + "00"
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def spaced(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# --- The book ----------------------------------------------------------------------------


class Customer:
    __slots__ = ("key", "name", "currency", "accounts", "terms", "discount", "fixed", "items")

    def __init__(self, key, name, currency, accounts, terms, discount, fixed):
        self.key, self.name, self.currency, self.accounts = key, name, currency, accounts
        self.terms, self.discount, self.fixed, self.items = terms, discount, fixed, []


def customer_names(rng: random.Random, count: int) -> list[str]:
    names = []
    for _ in range(count):
        syllables = rng.choices((2, 3, 4), (10, 70, 20))[0]
        root = "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()
        style = rng.random()
        if style < 0.5:
            name = f"{root} {rng.choice(TRADES)} {rng.choice(LEGAL)}"
        elif style < 0.8:
            name = f"{root} {rng.choice(LEGAL)}"
        else:
            other = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            name = f"{root} & {other} {rng.choice(TRADES)} {rng.choice(LEGAL)}"
        names.append(name)
    return names


def make_book(rng: random.Random, item_count: int, customer_count: int):
    currencies = [c for c, _ in CURRENCIES]
    weights = [w for _, w in CURRENCIES]
    names = customer_names(rng, customer_count)
    customers = []
    for key, name in enumerate(names, start=1):
        currency = rng.choices(currencies, weights)[0]
        accounts = tuple(
            iban(rng, rng.choice(("DE", "NL", "AT", "FR"))) for _ in range(rng.choice((1, 1, 2)))
        )
        discount = rng.random() < 0.15
        fixed = None
        if rng.random() < 0.08:  # billed the same amount every time (a subscription, a rent)
            fixed = Decimal(rng.randint(5_000, 500_000)) / 100
        customers.append(
            Customer(
                key, name, currency, accounts, rng.choice((14, 30, 30, 45, 60)), discount, fixed
            )
        )
    # How many open items each customer has: a few large customers, a long tail of small ones.
    sizes = [rng.paretovariate(1.3) for _ in customers]
    scale = item_count / sum(sizes)
    counts = [max(1, int(s * scale)) for s in sizes]
    cap = max(50, item_count // 50)
    counts = [min(c, cap) for c in counts]
    while sum(counts) < item_count:
        counts[rng.randrange(len(counts))] += 1
    while sum(counts) > item_count:
        i = rng.randrange(len(counts))
        if counts[i] > 1:
            counts[i] -= 1
    per_day: Counter = Counter()
    dates = {}
    items = []
    key = 0
    for customer, count in zip(customers, counts, strict=True):
        for _ in range(count):
            age = min(720, int(rng.expovariate(1 / 40)))
            issue = TODAY - dt.timedelta(days=age)
            per_day[issue] += 1
            number = f"SI-{issue:%y%m%d}-{per_day[issue]:04d}"
            if customer.fixed is not None and rng.random() < 0.7:
                amount = customer.fixed
            else:
                cents = max(1_000, int(rng.lognormvariate(11.4, 1.1)))
                amount = Decimal(cents) / 100
            body = f"{rng.randrange(10**12):012d}"
            reference = f"RF{98 - int(body + '271500') % 97:02d}{body}"
            due = dates.setdefault(
                issue + dt.timedelta(days=customer.terms), issue + dt.timedelta(days=customer.terms)
            )
            discount, until = Decimal("0"), None
            if customer.discount:
                discount = (amount * Decimal("0.02")).quantize(CENT)
                until = dates.setdefault(
                    issue + dt.timedelta(days=10), issue + dt.timedelta(days=10)
                )
            key += 1
            item = OpenItem(
                key, number, customer.key, customer.name, customer.currency, amount, amount,
                dates.setdefault(issue, issue), due, reference, customer.accounts, discount, until,
            )  # fmt: skip
            customer.items.append(item)
            items.append(item)
    return customers, items


# --- The payments -------------------------------------------------------------------------


def slipped(number: str, rng: random.Random) -> str:
    """The number as OCR or a hurried typist gets it: one or two slips."""
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.randrange(6)
        digits = [i for i, ch in enumerate(number) if ch in "0158"]
        if kind <= 1 and digits:
            i = rng.choice(digits)
            number = (
                number[:i]
                + rng.choice({"0": "O", "1": "Il", "5": "S", "8": "B"}[number[i]])
                + number[i + 1 :]
            )
        elif kind == 2:
            number = number.replace("-", "", 1) if "-" in number else number
        elif kind == 3:
            head, _, tail = number.rpartition("-")
            number = f"{head}-{tail.lstrip('0') or '0'}" if head else number
        elif kind == 4:
            cut = rng.randrange(3, len(number) - 1)
            number = number[:cut] + " " + number[cut:]
        else:
            number = number.lower() if rng.random() < 0.5 else number.replace("-", " ")
    return number


def written(numbers: list[str], rng: random.Random) -> str:
    style = rng.randrange(8)
    joined = ", ".join(numbers) if rng.random() < 0.7 else " ".join(numbers)
    po = f"PO {rng.randint(100000, 999999)}"
    return (
        joined,
        f"Invoice {joined}",
        f"INV {joined} {po}",
        f"Rechnung {joined} Kd-Nr {rng.randint(10000, 99999)}",
        f"Payment for {joined}, thank you",
        f"{po} / {joined}",
        joined.replace("-", ""),
        f"RE {joined.lower()} vom {TODAY:%d.%m.%Y}",
    )[style]


def bank_name(name: str, rng: random.Random) -> str:
    """The payer's name as the bank shows it."""
    roll = rng.random()
    if roll < 0.4:
        return name
    if roll < 0.7:
        return name.upper()[:35]
    if roll < 0.85:  # another spelling of the legal form
        words = name.split()
        root = words[:-1] if len(words) > 1 else words
        return " ".join([*root, rng.choice(("GMBH", "Ltd.", "BV", "Inc", "SA"))])
    return name.upper()[:22]  # cut short by an older bank system


def pick_item(customer, booking, rng, paid, discount=False):
    """An open item this customer would pay around `booking`: near its due date."""
    best = None
    for _ in range(4):
        item = rng.choice(customer.items)
        if item.key in paid or item.issue_date >= booking:
            continue
        if discount and not (
            item.discount_until and item.issue_date < booking <= item.discount_until
        ):
            continue
        distance = abs((item.due_date - booking).days)
        if best is None or distance < best[0]:
            best = (distance, item)
    return best[1] if best else None


def pick_several(customer, booking, rng, paid):
    """2–6 invoices due around the same time: a payment run, now and then holding one back."""
    pool = sorted(
        (i for i in customer.items if i.key not in paid and i.issue_date < booking
         and abs((i.due_date - booking).days) <= 45),
        key=lambda i: (i.due_date, i.key),
    )  # fmt: skip
    size = rng.choice((2, 2, 2, 3, 3, 4, 5, 6))
    if len(pool) < size:
        return None
    start = rng.randrange(len(pool) - size + 1)
    chosen = pool[start : start + size + (1 if rng.random() < 0.25 else 0)]
    if len(chosen) > size:  # one of the run held back (disputed)
        chosen.pop(rng.randrange(1, len(chosen) - 1))
    return chosen


def make_lines(rng, customers, line_count, paid_by_line=None):
    cumulative, running = [], 0.0
    for customer in customers:  # bigger customers pay more often
        running += len(customer.items) ** 0.8
        cumulative.append(running)
    kinds, kind_weights = list(IDENTIFICATION), list(IDENTIFICATION.values())
    amounts, amount_weights = list(AMOUNT), list(AMOUNT.values())
    paid: set[int] = set()
    lines, truths, mix = [], [], []
    earlier = []  # (line, truth-free copy) for duplicate payments
    key = 0
    start_day = TODAY - dt.timedelta(days=14)
    while len(lines) < line_count:
        booking = start_day + dt.timedelta(days=rng.randrange(14))
        kind = rng.choices(kinds, kind_weights)[0]
        how = rng.choices(amounts, amount_weights)[0]
        key += 1
        if kind == "duplicate payment" and earlier:
            first = rng.choice(earlier)
            lines.append(
                BankLine(
                    key,
                    first.amount,
                    first.currency,
                    booking,
                    first.remittance,
                    first.creditor_reference,
                    "",
                    first.counterparty_name,
                    first.counterparty_account,
                )
            )
            truths.append(({}, first.amount))
            mix.append((kind, "exact"))
            continue
        if kind in ("unidentifiable", "duplicate payment"):
            currency = rng.choice(("EUR", "EUR", "USD"))
            amount = Decimal(max(1_000, int(rng.lognormvariate(11.4, 1.1)))) / 100
            text = rng.choice(("Payment", "Refund ret", "", f"Ref {rng.randint(10**7, 10**8)}"))
            lines.append(
                BankLine(
                    key,
                    amount,
                    currency,
                    booking,
                    text,
                    "",
                    "",
                    rng.choice(PEOPLE),
                    iban(rng, "GB"),
                )
            )
            truths.append(({}, amount))
            mix.append(("unidentifiable", "none"))
            continue
        customer = rng.choices(customers, cum_weights=cumulative)[0]
        if how == "discount taken" and not customer.discount:
            how = "exact"
        if how == "several invoices":
            items = pick_several(customer, booking, rng, paid)
            if items is None:
                how, items = "exact", None
        else:
            items = None
        if items is None:
            item = pick_item(customer, booking, rng, paid, discount=how == "discount taken")
            if item is None and how == "discount taken":
                how, item = "exact", pick_item(customer, booking, rng, paid)
            if item is None:
                key -= 1
                continue
            items = [item]
        truth = {}
        total = sum((i.amount_open for i in items), Decimal("0"))
        amount, unapplied = total, Decimal("0")
        if how == "discount taken":
            truth[items[0].key] = (
                total - items[0].discount_amount,
                items[0].discount_amount,
                "early-payment discount",
            )
            amount = total - items[0].discount_amount
        elif how == "bank fee" and total > 100 and customer.currency != "EUR":
            # Within SEPA the payee is credited the full amount; fees come off cross-border
            # payments (USD, GBP, CHF customers here).
            fee = rng.choice(FEES)
            amount = total - fee
            truth[items[0].key] = (amount, fee, "bank fee")
        elif how in ("short", "instalment") and total > 100:
            short = (
                total / 2
                if how == "instalment"
                else max(Decimal("30"), total * Decimal(rng.randint(3, 30)) / 100)
            )
            amount = (total - short).quantize(CENT)
            truth[items[0].key] = (amount, total - amount, "short payment")
        elif how == "over":
            extra = rng.choice(
                (Decimal(rng.randint(1, 5000)) / 100, (total // 100 + 1) * 100 - total)
            )
            extra = extra if extra > 0 else Decimal("10.00")
            amount, unapplied = total + extra, extra
            truth[items[0].key] = (total, Decimal("0"), "")
        else:
            if how in ("bank fee", "short", "instalment"):
                how = "exact"
            for i in items:
                truth[i.key] = (i.amount_open, Decimal("0"), "")
        for i in items:
            paid.add(i.key)
        account = rng.choice(customer.accounts) if rng.random() < 0.85 else iban(rng, "BE")
        name = bank_name(customer.name, rng)
        remittance, creditor_reference = "", ""
        numbers = [i.number for i in items]
        if kind == "number":
            remittance = written(numbers, rng)
        elif kind == "number with slips":
            remittance = written([slipped(n, rng) for n in numbers], rng)
        elif kind == "RF reference":
            if len(items) == 1 and rng.random() < 0.7:
                creditor_reference = items[0].payment_reference
            else:
                remittance = " ".join(spaced(i.payment_reference) for i in items)
        elif kind == "account only":
            remittance = rng.choice(GENERIC_TEXT)
            account = rng.choice(customer.accounts)
        elif kind == "name only":
            remittance = rng.choice(GENERIC_TEXT)
            account = iban(rng, "BE")  # a new account the customer never used with us
        line = BankLine(
            key,
            amount,
            customer.currency,
            booking,
            remittance,
            creditor_reference,
            "",
            name,
            account,
        )
        lines.append(line)
        truths.append((truth, unapplied))
        mix.append((kind, how))
        if kind in ("number", "RF reference") and len(earlier) < 5000:
            earlier.append(line)
    return lines, truths, mix


# --- Scoring ------------------------------------------------------------------------------


def score(proposals, truths, mix, threshold):
    auto = right_auto = wrong = with_truth = agent_sees = agent_lines = 0
    by_kind: dict = defaultdict(lambda: [0, 0])
    wrong_examples = []
    for proposal, (truth, _), (kind, how) in zip(proposals, truths, mix, strict=True):
        got = {
            a.item_key: (a.amount, a.deduction, a.deduction_reason) for a in proposal.allocations
        }
        right = got == truth
        if truth:
            with_truth += 1
        by_kind[kind][1] += 1
        if proposal.confidence >= threshold:
            auto += 1
            by_kind[kind][0] += 1
            if right:
                right_auto += 1
            else:
                wrong += 1
                if len(wrong_examples) < 10:
                    wrong_examples.append(
                        {
                            "kind": kind,
                            "amount": how,
                            "truth": str(truth),
                            "reason": proposal.reason,
                            "got": str(got),
                        }
                    )
        elif truth:
            agent_lines += 1
            if set(truth) <= set(got) | set(proposal.candidates):
                agent_sees += 1
    return {
        "auto_rate": round(auto / len(proposals), 4),
        "wrong_auto": wrong,
        "precision": round(right_auto / auto, 5) if auto else 0.0,
        "recall": round(right_auto / with_truth, 4) if with_truth else 0.0,
        "agent_sees_truth": round(agent_sees / agent_lines, 4) if agent_lines else 1.0,
        "auto_rate_by_kind": {k: round(a / n, 3) for k, (a, n) in sorted(by_kind.items())},
    }, wrong_examples


WHY = (
    "of its invoices are open for",
    "amount matches",
    "nothing open matches",
    "several combinations",
    "search cut short",
    "perhaps a bank fee",
    "add up to the payment",
    "already settled",
    "unidentified",
    "belongs to another customer",
    "the excess equals",
    "zeros dropped",
    "text also fits",
    "short across several",
)


def explain(proposals, truths, mix, lines, threshold) -> None:
    """To stderr: the lines left to an agent, counted by kind, with an example of each."""
    left: Counter = Counter()
    example = {}
    why: Counter = Counter()
    for proposal, (kind, how), line in zip(proposals, mix, lines, strict=True):
        if proposal.confidence < threshold:
            left[kind, how] += 1
            example.setdefault((kind, how), []).append((line.remittance, proposal.reason))
            found = [phrase for phrase in WHY if phrase in proposal.reason]
            why[kind, found[0] if found else proposal.reason[:60]] += 1
    for (kind, phrase), count in why.most_common():
        print(f"  why: {count:6d}  {kind} / {phrase}", file=sys.stderr)
    for (kind, how), count in left.most_common():
        print(f"  left to agents: {count:6d}  {kind} / {how}", file=sys.stderr)
        for remittance, reason in example[kind, how][:3]:
            print(f"      {remittance!r}: {reason}", file=sys.stderr)


def other_book(seed: int, args) -> dict:
    """Auto rate and wrong applications on another book of the same size and recipe."""
    rng = random.Random(seed)
    customers, items = make_book(rng, args.items, max(10, args.items // 50))
    lines, truths, mix = make_lines(rng, customers, args.lines)
    config = Config()
    figures, wrong_examples = score(match(lines, items, config), truths, mix, config.auto_threshold)
    for example in wrong_examples:
        print(f"wrong (seed {seed}):", example, file=sys.stderr)
    print(
        f"seed {seed}: {figures['auto_rate']:.4f} auto, {figures['wrong_auto']} wrong",
        file=sys.stderr,
    )
    return {"seed": seed, "auto_rate": figures["auto_rate"], "wrong_auto": figures["wrong_auto"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 lines against 40,000 items")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--explain", action="store_true", help="list lines left to agents")
    parser.add_argument("--seed", type=int, default=SEED, help="another book, same recipe")
    parser.add_argument(
        "--seeds", type=int, default=0, help="also run this many other books (seeds 1..N)"
    )
    args = parser.parse_args()
    if args.quick:
        args.lines, args.items = 2_000, 40_000
    customers_count = max(10, args.items // 50)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    print(
        f"generating {args.items:,} open items of {customers_count:,} customers…", file=sys.stderr
    )
    customers, items = make_book(rng, args.items, customers_count)
    print(f"generating {args.lines:,} bank lines…", file=sys.stderr)
    lines, truths, mix = make_lines(rng, customers, args.lines)
    generated = time.perf_counter() - started
    print(f"generated in {generated:.1f} s; matching…", file=sys.stderr)
    config = Config()
    started, cpu = time.perf_counter(), time.process_time()
    proposals = match(lines, items, config)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"matched in {seconds:.1f} s ({cpu:.1f} s of CPU)", file=sys.stderr)
    figures, wrong_examples = score(proposals, truths, mix, config.auto_threshold)
    for example in wrong_examples:
        print("wrong:", example, file=sys.stderr)
    if args.explain:
        explain(proposals, truths, mix, lines, config.auto_threshold)
    others = [other_book(seed, args) for seed in range(1, args.seeds + 1)]
    if others:
        figures["other_seeds"] = others
        figures["wrong_auto_all_seeds"] = figures["wrong_auto"] + sum(
            o["wrong_auto"] for o in others
        )
        figures["auto_rate_lowest"] = min(o["auto_rate"] for o in [figures, *others])
    kinds = Counter(kind for kind, _ in mix)
    hows = Counter(how for _, how in mix)
    clean = kinds["number"] / len(mix)
    emit(
        {
            **figures,
            "lines": len(lines),
            "open_items": len(items),
            "customers": len(customers),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),  # the machine is shared: CPU time is the engine's own
            "generate_seconds": round(generated, 2),
            "lines_without_clean_invoice_number": round(1 - clean, 4),
            "mix_identification": {k: round(v / len(mix), 4) for k, v in sorted(kinds.items())},
            "mix_amount": {k: round(v / len(mix), 4) for k, v in sorted(hows.items())},
            "seed": args.seed,
        }
    )


if __name__ == "__main__":
    main()
