"""Demo vendors and customers: names, tax ids, terms, contacts and bank accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from ledgerdesk.demo import catalog
from ledgerdesk.demo.countries import (
    CITIES,
    COUNTRIES,
    Country,
    ascii_slug,
    bank_account,
    city,
    phone,
    pick_country,
    pick_currency,
    tax_id,
)
from ledgerdesk.parties.models import (
    BankAccount,
    Contact,
    Party,
    normalize_name,
    normalize_tax_id,
)

STRATEGIC_SHARE = 0.08
PENDING_ACCOUNT_SHARE = 0.03  # vendors who sent new bank details, held until verified
TERMS = (14, 30, 45, 60)
TERMS_WEIGHTS = (15, 55, 15, 15)
CHANNELS = (
    (Contact.Channel.EMAIL, 60),
    (Contact.Channel.PHONE, 20),
    (Contact.Channel.PORTAL, 15),
    (Contact.Channel.LETTER, 5),
)
_PARTICLES = {"van", "von", "den", "der", "de", "la", "le", "di", "da", "del", "du", "het", "op"}
_LOCALES = sorted({c.locale for c in COUNTRIES.values()} | {"fr_BE", "fr_CH"})


@dataclass
class Profile:
    """A party and what its story needs to know about it beyond the model's fields."""

    party: Party
    country: Country
    currency: str
    terms: int
    weight: float  # how busy the relationship is
    time_zone: str
    sector: catalog.Sector | None = None
    style: tuple[str, str] = catalog.VENDOR_NUMBER_STYLES[0]
    counter: int = 0
    credit_counter: int = 0
    approver: tuple[str, str] = ("", "")
    bank_account: BankAccount | None = None
    direct_debit: bool = False
    pay_weekday: int | None = None


class Names:
    """One seeded Faker per locale, made when first needed."""

    def __init__(self, seed: int):
        self.seed = seed
        self._fakers: dict[str, Faker] = {}

    def __call__(self, locale: str) -> Faker:
        if locale not in self._fakers:
            faker = Faker(locale)
            # Seeded per locale, so a locale's names do not depend on which came first.
            faker.seed_instance(self.seed * 100 + _LOCALES.index(locale))
            self._fakers[locale] = faker
        return self._fakers[locale]


def party_kinds(rng: random.Random, vendors: int, customers: int, both: int) -> list[str]:
    kinds = ["vendor"] * (vendors - both) + ["customer"] * (customers - both) + ["both"] * both
    rng.shuffle(kinds)
    return kinds


class PartyMaker:
    def __init__(self, rng: random.Random, names: Names, approvers: list[tuple[str, str]]):
        self.rng = rng
        self.names = names
        self.approvers = approvers
        self.name_keys: set[str] = set()
        self.domains: set[str] = set()
        self.vendor_ids = 10001
        self.customer_ids = 20001

    def company_name(self, country: Country, sector_key: str) -> str:
        rng, fake = self.rng, self.names(country.locale)
        legal = rng.choice(country.legal_forms)
        trade = country.trades[sector_key]
        for attempt in range(30):
            last = fake.last_name()
            style = rng.randint(0, 4) if attempt < 20 else 5
            name = {
                0: f"{last} {trade} {legal}",
                1: f"{last} & {fake.last_name()} {legal}",
                2: f"{last} {legal}",
                3: f"{rng.choice(CITIES[country.code].split())} {trade} {legal}",
                4: f"{last} {trade}",
                5: f"{last} {fake.last_name()} {trade} {legal}",
            }[style]
            name = name[0].upper() + name[1:]
            key = normalize_name(name)
            if key not in self.name_keys:
                self.name_keys.add(key)
                return name
        raise RuntimeError("ran out of company names")  # pragma: no cover

    def domain(self, name: str, country: Country) -> str:
        # What people put in a web address: particles run together ("vandenberg.nl"),
        # one more word after a dash, initials and legal forms dropped.
        words = [w for w in ascii_slug(normalize_name(name), " ").split() if len(w) > 1]
        head = []
        while words and (words[0] in _PARTICLES or not head):
            head.append(words.pop(0))
        base = "-".join(["".join(head), *words[:1]])[:30].strip("-") or "company"
        domain, n = f"{base}.{country.tld}", 1
        while domain in self.domains:
            n += 1
            domain = f"{base}{n}.{country.tld}"
        self.domains.add(domain)
        return domain

    def make(self, kind: str, index: int) -> tuple[Profile, list[Contact], list[BankAccount]]:
        rng = self.rng
        country = pick_country(rng)
        sector = catalog.pick_sector(rng)
        fake = self.names(country.locale)
        is_vendor, is_customer = kind in ("vendor", "both"), kind in ("customer", "both")
        if is_vendor:
            external_id, self.vendor_ids = f"V{self.vendor_ids}", self.vendor_ids + 1
        else:
            external_id, self.customer_ids = f"C{self.customer_ids}", self.customer_ids + 1
        name = self.company_name(country, sector.key)
        strategic = index == 0 or rng.random() < STRATEGIC_SHARE
        terms = rng.choices(TERMS, weights=TERMS_WEIGHTS)[0]
        vat = tax_id(rng, country)
        town, profile_zone = city(rng, country)
        party = Party(
            name=name,
            name_key=normalize_name(name),
            tax_id=vat,
            tax_id_key=normalize_tax_id(vat),
            external_id=external_id,
            is_vendor=is_vendor,
            is_customer=is_customer,
            default_currency=pick_currency(rng, country),
            payment_terms_days=terms,
            criticality=Party.Criticality.STRATEGIC if strategic else Party.Criticality.NORMAL,
            country=country.code,
            city=town,
            address=f"{fake.street_address()}, {fake.postcode()} {town}"[:300],
        )
        weight = rng.lognormvariate(0, 0.7) * (3 if strategic else 1)
        profile = Profile(party, country, party.default_currency, terms, weight, profile_zone)
        if is_vendor:
            profile.sector = sector
            profile.style = rng.choice(catalog.VENDOR_NUMBER_STYLES)
            profile.counter = rng.randint(1000, 90000)
            profile.credit_counter = rng.randint(10, 900)
            profile.approver = rng.choice(self.approvers)
            profile.direct_debit = sector.key in ("utilities", "telecom") and rng.random() < 0.6
        if is_customer:
            profile.pay_weekday = rng.choice((None, None, 1, 3, 4))
            profile.direct_debit = profile.direct_debit or rng.random() < 0.1
        contacts = self.contacts(profile, kind, self.domain(name, country))
        accounts = []
        if is_vendor:
            accounts.append(self.account(party, country, BankAccount.Status.ACTIVE))
            profile.bank_account = accounts[0]
            if rng.random() < PENDING_ACCOUNT_SHARE:
                accounts.append(self.account(party, country, BankAccount.Status.PENDING))
        return profile, contacts, accounts

    def account(self, party: Party, country: Country, status: str) -> BankAccount:
        iban, bic = bank_account(self.rng, country)
        return BankAccount(party=party, iban=iban, bic=bic, holder_name=party.name, status=status)

    def contacts(self, profile: Profile, kind: str, domain: str) -> list[Contact]:
        rng, country = self.rng, profile.country
        role_names = {
            "vendor": catalog.CONTACT_ROLES_VENDOR,
            "customer": catalog.CONTACT_ROLES_CUSTOMER,
            "both": catalog.CONTACT_ROLES_VENDOR + catalog.CONTACT_ROLES_CUSTOMER,
        }[kind]
        contacts, emails = [], set()
        for position in range(rng.choices((1, 2, 3), weights=(45, 35, 20))[0]):
            language = country.languages[0]
            if len(country.languages) > 2 and rng.random() < 0.45:
                language = country.languages[1]  # Belgium, Switzerland, Finland
            elif language != "en" and rng.random() < 0.2:
                language = "en"
            locale = {("BE", "fr"): "fr_BE", ("CH", "fr"): "fr_CH"}.get(
                (country.code, language), country.locale
            )
            fake = self.names(locale)
            first, last = fake.first_name(), fake.last_name()
            local = ascii_slug(f"{first} {last}", ".") or "info"
            email = f"{local}@{domain}"
            if email in emails:
                email = f"{local}{position + 1}@{domain}"
            emails.add(email)
            notes = []
            if rng.random() < 0.3:
                notes.append(catalog.personal_note(rng, language))
                if rng.random() < 0.25:
                    notes.append(catalog.personal_note(rng, language))
            contacts.append(
                Contact(
                    party=profile.party,
                    name=f"{first} {last}"[:150],
                    role=rng.choice(role_names),
                    email=email,
                    phone=phone(rng, country),
                    preferred_channel=rng.choices(
                        [c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS]
                    )[0],
                    language=language,
                    time_zone=profile.time_zone,
                    personal_notes=" ".join(dict.fromkeys(notes)),
                    is_primary=position == 0,
                )
            )
        return contacts


def allocate(total: int, weights: list[float]) -> list[int]:
    """Share `total` documents among parties by weight, at least one each, summing exactly."""
    count = len(weights)
    if count == 0:
        return []
    rest = max(total - count, 0)
    whole = sum(weights)
    raw = [rest * w / whole for w in weights]
    shares = [1 + int(r) for r in raw]
    short = total - sum(shares)
    by_fraction = sorted(range(count), key=lambda i: (-(raw[i] - int(raw[i])), i))
    for i in by_fraction[: max(short, 0)]:
        shares[i] += 1
    return shares
