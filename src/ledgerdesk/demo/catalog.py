"""What demo vendors sell us, what we sell customers, and the words of the usual mess.

Pure Python (no Django). Everything random takes the caller's seeded generator.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from ledgerdesk.demo.countries import LANGUAGE_NAMES


@dataclass(frozen=True)
class Item:
    description: str
    unit_code: str  # UN/ECE recommendation 20, as e-invoices carry it
    low: int  # unit price range, whole currency units
    high: int
    max_quantity: int


@dataclass(frozen=True)
class Sector:
    key: str
    uses_purchase_orders: bool  # goods and projects are ordered; rent and power are not
    items: tuple[Item, ...]


def _items(*rows) -> tuple[Item, ...]:
    return tuple(Item(*row) for row in rows)


# fmt: off
SECTORS: dict[str, Sector] = {
    s.key: s
    for s in (
        Sector("logistics", True, _items(
            ("Road freight, full truck load", "C62", 650, 1900, 4),
            ("Pallet storage per week", "C62", 4, 9, 300),
            ("Customs clearance", "C62", 45, 160, 6),
            ("Express courier", "C62", 18, 95, 40),
        )),
        Sector("it", True, _items(
            ("Laptop 14in, standard build", "C62", 890, 1650, 25),
            ("Monitor 27in", "C62", 210, 390, 30),
            ("Software licence, annual", "C62", 60, 480, 200),
            ("Consultancy hours, service desk", "HUR", 85, 140, 80),
            ("Docking station USB-C", "C62", 140, 260, 30),
        )),
        Sector("office", True, _items(
            ("Copy paper A4, box of 5 reams", "C62", 18, 29, 120),
            ("Toner cartridge, black", "C62", 65, 140, 24),
            ("Office chair, ergonomic", "C62", 240, 620, 20),
            ("Desk organiser set", "C62", 12, 35, 50),
        )),
        Sector("facilities", False, _items(
            ("Office cleaning, monthly contract", "MON", 1800, 6400, 1),
            ("Window cleaning", "C62", 240, 900, 2),
            ("Security guard service", "HUR", 28, 45, 320),
            ("Waste collection", "MON", 180, 720, 1),
        )),
        Sector("materials", True, _items(
            ("Steel sheet 2 mm, galvanised", "KGM", 1, 3, 4000),
            ("Aluminium profile 40x40", "MTR", 6, 14, 600),
            ("Stainless bolts M8, box of 200", "C62", 22, 48, 150),
            ("Copper cable 3x2.5 mm2", "MTR", 2, 5, 1500),
            ("Hydraulic hose assembly", "C62", 35, 120, 80),
        )),
        Sector("packaging", True, _items(
            ("Cardboard box 600x400x400", "C62", 1, 3, 5000),
            ("Stretch film roll", "C62", 9, 19, 300),
            ("Euro pallet, heat treated", "C62", 9, 16, 800),
            ("Labels, thermal, roll of 1000", "C62", 6, 14, 200),
        )),
        Sector("consulting", True, _items(
            ("Senior consultant, daily rate", "DAY", 950, 1650, 30),
            ("Consultant, daily rate", "DAY", 650, 1100, 40),
            ("Workshop facilitation", "C62", 1200, 3800, 3),
            ("Travel expenses, as agreed", "C62", 120, 900, 1),
        )),
        Sector("utilities", False, _items(
            ("Electricity, monthly advance", "MON", 1400, 9800, 1),
            ("Gas, monthly advance", "MON", 400, 3200, 1),
            ("Water and sewage", "MON", 90, 600, 1),
        )),
        Sector("telecom", False, _items(
            ("Mobile subscriptions", "MON", 24, 45, 160),
            ("Fibre connection 1 Gbit", "MON", 390, 1250, 1),
            ("Call minutes outside bundle", "MIN", 0, 1, 3000),
        )),
        Sector("marketing", True, _items(
            ("Trade fair stand, design and build", "C62", 4500, 18000, 1),
            ("Printed brochures", "C62", 1, 3, 5000),
            ("Online campaign management", "MON", 1200, 5200, 1),
        )),
        Sector("staffing", True, _items(
            ("Temporary staff, warehouse", "HUR", 27, 39, 600),
            ("Temporary staff, finance", "HUR", 42, 68, 320),
            ("Placement fee", "C62", 3500, 9000, 1),
        )),
        Sector("maintenance", True, _items(
            ("Preventive maintenance visit", "C62", 380, 1400, 4),
            ("Spare parts, conveyor", "C62", 45, 650, 20),
            ("Technician hours", "HUR", 68, 110, 60),
            ("Call-out charge", "C62", 95, 180, 3),
        )),
    )
}
# fmt: on
SECTOR_WEIGHTS = {
    "logistics": 12,
    "it": 10,
    "office": 7,
    "facilities": 7,
    "materials": 14,
    "packaging": 9,
    "consulting": 6,
    "utilities": 4,
    "telecom": 4,
    "marketing": 5,
    "staffing": 7,
    "maintenance": 9,
}  # fmt: skip

# What the group sells its customers (AR).
PRODUCTS = _items(
    ("Centrifugal pump CP-200", "C62", 1850, 2400, 8),
    ("Pump seal kit SK-12", "C62", 85, 140, 40),
    ("Valve assembly VA-50", "C62", 320, 560, 20),
    ("Control unit CU-3", "C62", 1250, 1900, 6),
    ("Service contract, quarterly", "C62", 1800, 4800, 1),
    ("On-site installation", "HUR", 95, 135, 24),
    ("Operator training, one day", "DAY", 950, 1400, 2),
    ("Spare parts package", "C62", 240, 880, 10),
)
FREIGHT = Item("Freight and handling", "C62", 45, 380, 1)


def pick_sector(rng: random.Random) -> Sector:
    keys = list(SECTOR_WEIGHTS)
    return SECTORS[rng.choices(keys, weights=[SECTOR_WEIGHTS[k] for k in keys])[0]]


def unit_price(rng: random.Random, item: Item) -> Decimal:
    if item.high <= 1:
        return Decimal(rng.randint(5, 95)) / 100
    return Decimal(rng.randint(item.low * 100, item.high * 100)) / 100


def quantity(rng: random.Random, item: Item) -> Decimal:
    if item.max_quantity <= 1:
        return Decimal(1)
    # Small orders are far more common than large ones.
    return Decimal(max(1, int(item.max_quantity * rng.random() ** 2.2)))


# --- Numbering ------------------------------------------------------------------

# How vendors number their invoices and credit notes; {n} is their counter.
VENDOR_NUMBER_STYLES = (
    ("INV-{n}", "CN-{n}"),
    ("INV{n:06d}", "CRN{n:06d}"),
    ("{y}-{n:05d}", "{y}-C{n:04d}"),
    ("RE-{y}-{n:05d}", "GS-{y}-{n:04d}"),
    ("F{yy}{n:05d}", "AV{yy}{n:05d}"),
    ("{n}", "C{n}"),
    ("SI/{y}/{n:04d}", "CN/{y}/{n:04d}"),
    ("{yy}0{n:06d}", "{yy}9{n:06d}"),
)


def vendor_number(style: str, counter: int, year: int) -> str:
    return style.format(n=counter, y=year, yy=f"{year % 100:02d}")


def near_same_number(number: str, rng: random.Random) -> str:
    """The same number as a person retyping it would get it wrong: a dropped
    separator, a letter O for a zero, a slash for a dash, a space in a run of digits.

    Upper-cased and stripped of everything but letters and digits, with O read
    as 0, both spellings give the same key; that is what a duplicate check compares.
    """
    options = []
    if "0" in number:
        zeros = [i for i, ch in enumerate(number) if ch == "0"]
        i = rng.choice(zeros)
        options.append(number[:i] + "O" + number[i + 1 :])
    if re.search(r"[-/]", number):
        options.append(re.sub(r"[-/]", "", number, count=1))
        options.append(number.replace("-", "/") if "-" in number else number.replace("/", "-"))
    digits = re.search(r"\d{4,}", number)
    if digits:
        cut = digits.start() + (digits.end() - digits.start()) // 2
        options.append(number[:cut] + " " + number[cut:])
    if not options:
        return number + " "
    return rng.choice(options)


def duplicate_key(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper()).replace("O", "0")


def creditor_reference(rng: random.Random) -> str:
    """An ISO 11649 structured creditor reference (RF..), as printed on our AR invoices."""
    body = "".join(rng.choice("0123456789") for _ in range(12))
    numeric = body + "271500"  # "RF00" moved to the end, R=27 F=15
    check = 98 - int(numeric) % 97
    return f"RF{check:02d}{body}"


# --- The usual mess ---------------------------------------------------------------

HOLD_REASONS = (
    "PO number missing on the invoice",
    "Bank details on the invoice differ from the vendor master; verifying with the vendor",
    "Vendor's VAT id missing on the invoice",
    "Awaiting goods receipt from the warehouse",
    "Invoice addressed to the wrong legal entity",
)
AP_DISPUTE_REASONS = (
    "Goods damaged on arrival; photos sent to the vendor",
    "Service not delivered as agreed",
    "Price differs from the quotation",
    "Delivered after the agreed date; penalty clause applies",
)
AP_CANCEL_REASONS = (
    "Issued to the wrong legal entity; vendor will re-issue",
    "Replaced by a corrected invoice",
    "Vendor cancelled the invoice",
)
AP_REJECT_REASONS = (
    "Not ordered by us",
    "Services not rendered",
    "Already invoiced under an earlier number",
)
CREDIT_REASONS = (
    "Credit for returned goods",
    "Price correction",
    "Volume rebate",
    "Credit for damaged delivery",
)
AR_DISPUTE_REASONS = (
    "Customer says the goods were not received",
    "Price not as agreed in the contract",
    "Customer claims the service visit was not carried out",
    "Customer disputes the freight charge",
)
AR_CANCEL_REASONS = ("Billed to the wrong customer account", "Order cancelled before delivery")
DEDUCTION_REASONS = (
    "freight charge disputed",
    "early payment discount taken after the discount period",
    "bank charges deducted",
    "damaged goods, 2 units",
    "price difference against the quotation",
)
UNAPPLIED_REFERENCES = (
    "PAYMENT",
    "Remittance advice to follow",
    "Invoice March?",
    "Account settlement",
    "Payment ref 448812",
    "",
)

# Notes a colleague wrote down about a contact.
PERSONAL_NOTES = (
    "Back from vacation on the {day}.",
    "Prefers calls before 10:00.",
    "Birthday: {birthday}.",
    "Works Monday to Thursday.",
    "Prefers a short summary first, details after.",
    "On parental leave until {month}; ask for the deputy.",
    "Speaks {language} and English; prefers {language} on the phone.",
    "Wants remittance advice by e-mail for every payment.",
    "Call rather than e-mail when something is urgent.",
    "New in the role since {month}.",
)
CONTACT_ROLES_VENDOR = ("Accounts receivable", "Credit controller", "Sales", "Finance manager")
CONTACT_ROLES_CUSTOMER = ("Accounts payable", "Purchasing", "Controller", "Finance manager")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def personal_note(rng: random.Random, language: str) -> str:
    template = rng.choice(PERSONAL_NOTES)
    if "{language}" in template and language == "en":
        template = PERSONAL_NOTES[1]
    return template.format(
        language=LANGUAGE_NAMES.get(language, "English"),
        day=ordinal(rng.randint(1, 28)),
        birthday=f"{rng.randint(1, 28)} {rng.choice(MONTHS)}",
        month=rng.choice(MONTHS),
    )
