"""`ledgerdesk import-parties FILE.csv`: vendors and customers from the ERP, idempotently.

One row per contact; the party's columns repeat on each of its rows (a party
without contacts is one row with the contact columns empty). Parties are
matched by ERP id, then tax id, then normalised name, so a second run of the
same file changes nothing and says so.

Columns (header names, any order; * required):
  name*, roles* (vendor | customer | both), tax_id, external_id,
  default_currency (ISO 4217, default EUR), payment_terms_days (default 30),
  criticality (strategic | normal), country (ISO 3166 alpha-2), city, address,
  contact_name, contact_email, contact_phone, contact_role, preferred_channel
  (email | phone | portal | letter), language, time_zone (IANA, e.g.
  Europe/Paris), personal_notes, primary (yes | no)
"""

from __future__ import annotations

import csv
import hashlib
import io
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ledgerdesk.core import audit
from ledgerdesk.core.models import ImportRun
from ledgerdesk.core.money import is_currency
from ledgerdesk.parties.models import Contact, Party
from ledgerdesk.parties.services import PartyResolver

REQUIRED = ("name", "roles")
KNOWN = [
    "name",
    "roles",
    "tax_id",
    "external_id",
    "default_currency",
    "payment_terms_days",
    "criticality",
    "country",
    "city",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_role",
    "preferred_channel",
    "language",
    "time_zone",
    "personal_notes",
    "primary",
]
_ROLES = {"vendor": (True, False), "customer": (False, True), "both": (True, True)}
_TIME_ZONES = None


class PartyFileError(Exception):
    def __init__(self, source: str, line: int, reason: str):
        self.source, self.line, self.reason = source, line, reason
        super().__init__(f"{source}: line {line}: {reason}")


@dataclass
class PartyRow:
    line: int
    party: dict
    contact: dict | None


@dataclass
class PartyImportOutcome:
    source: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    contacts_added: int = 0
    contacts_updated: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.error:
            return f"{self.source}: rejected, nothing imported: {self.error}"
        return (
            f"{self.source}: {self.added} parties added, {self.updated} updated, "
            f"{self.skipped} unchanged; {self.contacts_added} contacts added, "
            f"{self.contacts_updated} updated"
        )


def read_rows(text: str, source: str) -> list[PartyRow]:
    """Parse and validate the whole file; the first problem stops it, naming line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise PartyFileError(source, 1, "the file is empty")
    first = text.splitlines()[0]
    # Spreadsheets in many European locales save with ";" because "," is their decimal mark.
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _read(reader, source)
    except csv.Error as exc:
        raise PartyFileError(source, reader.line_num, f"not readable as CSV: {exc}") from None


def _read(reader, source: str) -> list[PartyRow]:
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PartyFileError(source, 1, f"missing column(s): {', '.join(missing)}")
    unknown = [h for h in header if h not in KNOWN]
    if unknown:
        raise PartyFileError(source, 1, f"unknown column(s): {', '.join(unknown)}")
    rows = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise PartyFileError(
                source, line, f"expected {len(header)} fields, found {len(record)}"
            )
        values = {h: cell.strip() for h, cell in zip(header, record, strict=True)}
        rows.append(_validate(values, source, line))
    if not rows:
        raise PartyFileError(source, 2, "the file has a header but no rows")
    return rows


def _validate(v: dict, source: str, line: int) -> PartyRow:
    def fail(column, reason):
        raise PartyFileError(source, line, f"{column}: {reason}")

    if not v.get("name"):
        fail("name", "is empty")
    roles = v.get("roles", "").lower()
    if roles not in _ROLES:
        fail("roles", f"{v.get('roles')!r} is not vendor, customer or both")
    currency = (v.get("default_currency") or "EUR").upper()
    if not is_currency(currency):
        fail("default_currency", f"{currency!r} is not an ISO 4217 currency code")
    terms = v.get("payment_terms_days") or "30"
    if not terms.isdigit() or int(terms) > 365:
        fail("payment_terms_days", f"{terms!r} is not a number of days between 0 and 365")
    criticality = (v.get("criticality") or "normal").lower()
    if criticality not in Party.Criticality.values:
        fail("criticality", f"{criticality!r} is not strategic or normal")
    country = v.get("country", "").upper()
    if country and (len(country) != 2 or not country.isalpha()):
        fail("country", f"{country!r} is not a two-letter country code")
    for column, limit in (("name", 200), ("tax_id", 40), ("external_id", 40), ("city", 100)):
        if len(v.get(column, "")) > limit:
            fail(column, f"is longer than {limit} characters")
    vendor, customer = _ROLES[roles]
    party = {
        "name": v["name"],
        "tax_id": v.get("tax_id", ""),
        "external_id": v.get("external_id", ""),
        "is_vendor": vendor,
        "is_customer": customer,
        "default_currency": currency,
        "payment_terms_days": int(terms),
        "criticality": criticality,
        "country": country,
        "city": v.get("city", ""),
        "address": v.get("address", "")[:300],
    }
    contact = None
    if v.get("contact_name") or v.get("contact_email"):
        email = v.get("contact_email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("contact_email", f"{email!r} is not an e-mail address")
        channel = (v.get("preferred_channel") or "email").lower()
        if channel not in Contact.Channel.values:
            fail("preferred_channel", f"{channel!r} is not one of email, phone, portal, letter")
        tz = v.get("time_zone") or "Europe/Amsterdam"
        if tz not in _time_zones():
            fail("time_zone", f"{tz!r} is not a known time zone (e.g. Europe/Paris)")
        primary = (v.get("primary") or "no").lower()
        if primary not in ("yes", "no", "true", "false", "1", "0", ""):
            fail("primary", f"{primary!r} is not yes or no")
        contact = {
            "name": (v.get("contact_name") or email)[:150],
            "email": email,
            "phone": v.get("contact_phone", "")[:40],
            "role": v.get("contact_role", "")[:100],
            "preferred_channel": channel,
            "language": (v.get("language") or "en")[:10],
            "time_zone": tz,
            "personal_notes": v.get("personal_notes", ""),
            "is_primary": primary in ("yes", "true", "1"),
        }
    return PartyRow(line=line, party=party, contact=contact)


def _time_zones():
    global _TIME_ZONES
    if _TIME_ZONES is None:
        _TIME_ZONES = zoneinfo.available_timezones()
    return _TIME_ZONES


def import_parties(data: bytes, source: str) -> PartyImportOutcome:
    outcome = PartyImportOutcome(source=source)
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        outcome.error = f"not UTF-8 text (byte {exc.start})"
        _log(outcome, sha)
        return outcome
    try:
        rows = read_rows(text, source)
        with transaction.atomic():
            _write(rows, outcome)
    except PartyFileError as exc:
        outcome.error = f"line {exc.line}: {exc.reason}"
        outcome.added = outcome.updated = outcome.skipped = 0
        outcome.contacts_added = outcome.contacts_updated = 0
    _log(outcome, sha)
    return outcome


def _write(rows: list[PartyRow], outcome: PartyImportOutcome) -> None:
    counted: set[int] = set()  # a party's several contact rows count it once
    resolver = PartyResolver()
    for row in rows:
        party, changed, created = _upsert_party(row.party, resolver)
        if party.pk not in counted:
            counted.add(party.pk)
            if created:
                outcome.added += 1
            elif changed:
                outcome.updated += 1
            else:
                outcome.skipped += 1
        if row.contact:
            _upsert_contact(party, row.contact, outcome)


def _upsert_party(values: dict, resolver: PartyResolver) -> tuple[Party, bool, bool]:
    party = None
    if values["external_id"]:
        party = Party.objects.filter(external_id=values["external_id"]).first()
    if party is None:
        party = resolver.find(name=values["name"], tax_id=values["tax_id"])
    if party is None:
        party = Party.objects.create(**values)
        resolver.remember(party)
        return party, True, True
    changed = False
    for name, value in values.items():
        if name in ("is_vendor", "is_customer"):
            value = value or getattr(party, name)  # a file never takes a role away
        if value in ("", None) and name not in ("is_vendor", "is_customer"):
            continue  # an empty cell keeps what we know
        if getattr(party, name) != value:
            setattr(party, name, value)
            changed = True
    if changed:
        party.save()  # the audit signal records before and after
    return party, changed, False


def _upsert_contact(party: Party, values: dict, outcome: PartyImportOutcome) -> None:
    contacts = party.contacts.all()
    contact = (
        contacts.filter(email__iexact=values["email"]).first()
        if values["email"]
        else contacts.filter(name=values["name"]).first()
    )
    if contact is None:
        Contact.objects.create(party=party, **values)
        outcome.contacts_added += 1
        return
    changed = False
    for name, value in values.items():
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed = True
    if changed:
        contact.save()
        outcome.contacts_updated += 1


def _log(outcome: PartyImportOutcome, sha: str) -> None:
    _, label = audit.current_actor()
    if outcome.error:
        result = ImportRun.Outcome.REJECTED
    elif outcome.added or outcome.updated or outcome.contacts_added or outcome.contacts_updated:
        result = ImportRun.Outcome.IMPORTED
    else:
        result = ImportRun.Outcome.NOTHING_NEW
    ImportRun.objects.create(
        kind="parties",
        source_name=outcome.source[-255:],
        file_sha256=sha,
        file_format="csv",
        actor_label=label,
        outcome=result,
        added=outcome.added,
        updated=outcome.updated,
        skipped=outcome.skipped,
        message=outcome.error or outcome.line(),
    )
