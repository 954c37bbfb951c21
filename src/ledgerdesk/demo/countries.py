"""Where demo parties are based, and the identifiers that go with a country.

Pure Python (no Django): tax ids and IBANs carry real check digits, so the
importers and any validation (python-stdnum) accept them, yet every number is
made up from the seeded random generator.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from stdnum import iban as iban_std
from stdnum import luhn
from stdnum.at import uid as at_uid
from stdnum.be import vat as be_vat
from stdnum.ch import uid as ch_uid
from stdnum.dk import cvr as dk_cvr
from stdnum.es import ccc as es_ccc
from stdnum.es import cif as es_cif
from stdnum.fi import alv as fi_alv
from stdnum.ie import vat as ie_vat
from stdnum.iso7064 import mod_11_10
from stdnum.nl import btw as nl_btw
from stdnum.no import orgnr as no_orgnr


@dataclass(frozen=True)
class Country:
    code: str
    locale: str  # the Faker locale for names
    currency: str
    time_zones: tuple[str, ...]
    languages: tuple[str, ...]  # the first is the most common
    vat_rate: Decimal  # what a supplier here charges us (0: reverse charge or export)
    tld: str
    phone_prefix: str
    legal_forms: tuple[str, ...]
    trades: dict[str, str]  # sector -> the word a company name uses for it
    banks: tuple[tuple[str, str], ...]  # (bank code, BIC)
    weight: int  # how many of our parties are based here


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


_TRADES = {
    # sector: English, Dutch, German, French, Nordic word for it in a company name
    "logistics": ("Logistics", "Transport", "Spedition", "Transports", "Logistik"),
    "it": ("IT Services", "ICT", "IT-Systemhaus", "Informatique", "Data"),
    "office": ("Office Supplies", "Kantoorartikelen", "Bürobedarf", "Fournitures", "Kontor"),
    "facilities": ("Facility Services", "Schoonmaak", "Gebäudeservice", "Nettoyage", "Service"),
    "materials": ("Materials", "Staalhandel", "Metallbau", "Métaux", "Stål"),
    "packaging": ("Packaging", "Verpakkingen", "Verpackung", "Emballages", "Emballage"),
    "consulting": ("Consulting", "Advies", "Beratung", "Conseil", "Konsult"),
    "utilities": ("Energy", "Energie", "Energie", "Énergie", "Energi"),
    "telecom": ("Telecom", "Telecom", "Kommunikation", "Télécom", "Tele"),
    "marketing": ("Media", "Reclame", "Werbung", "Communication", "Reklam"),
    "staffing": ("Staffing", "Uitzendbureau", "Personaldienste", "Intérim", "Bemanning"),
    "maintenance": ("Engineering", "Installatietechniek", "Anlagenbau", "Maintenance", "Teknik"),
}
_TRADE_LANGUAGE = {"nl": 1, "de": 2, "fr": 3, "sv": 4, "da": 4, "nb": 4, "fi": 4}

# code, Faker locale, currency, time zones, languages, VAT rate charged to us, web domain,
# phone prefix, legal forms, weight (how many of our parties are based there)
_US_ZONES = "America/New_York America/Chicago America/Denver America/Los_Angeles"
_ROWS = [
    ("NL", "nl_NL", "EUR", "Europe/Amsterdam", "nl en", "21", "nl", "31", "B.V.|N.V.|V.O.F.", 22),
    ("DE", "de_DE", "EUR", "Europe/Berlin", "de en", "19", "de", "49", "GmbH|AG|GmbH & Co. KG", 20),
    ("BE", "nl_BE", "EUR", "Europe/Brussels", "nl fr en", "21", "be", "32", "BV|NV|SRL|SA", 8),
    ("FR", "fr_FR", "EUR", "Europe/Paris", "fr en", "0", "fr", "33", "SAS|SA|SARL", 10),
    ("GB", "en_GB", "GBP", "Europe/London", "en", "0", "co.uk", "44", "Ltd|PLC|LLP", 9),
    ("IE", "en_IE", "EUR", "Europe/Dublin", "en", "0", "ie", "353", "Ltd|Limited|DAC", 3),
    ("US", "en_US", "USD", _US_ZONES, "en", "0", "com", "1", "Inc.|LLC|Corp.", 6),
    ("SE", "sv_SE", "SEK", "Europe/Stockholm", "sv en", "25", "se", "46", "AB", 5),
    ("DK", "da_DK", "DKK", "Europe/Copenhagen", "da en", "25", "dk", "45", "A/S|ApS", 4),
    ("NO", "no_NO", "NOK", "Europe/Oslo", "nb en", "25", "no", "47", "AS|ASA", 3),
    ("CH", "de_CH", "CHF", "Europe/Zurich", "de fr en", "0", "ch", "41", "AG|GmbH|SA", 4),
    ("AT", "de_AT", "EUR", "Europe/Vienna", "de en", "0", "at", "43", "GmbH|AG|KG", 3),
    ("ES", "es_ES", "EUR", "Europe/Madrid", "es en", "21", "es", "34", "S.L.|S.A.", 3),
    ("IT", "it_IT", "EUR", "Europe/Rome", "it en", "0", "it", "39", "S.r.l.|S.p.A.", 3),
    ("FI", "fi_FI", "EUR", "Europe/Helsinki", "fi sv en", "25", "fi", "358", "Oy|Oyj", 2),
]
# Bank code (the part of the IBAN that names the bank) and that bank's BIC.
_BANKS = {
    "NL": "ABNA:ABNANL2A INGB:INGBNL2A RABO:RABONL2U TRIO:TRIONL2U",
    "DE": "37040044:COBADEFFXXX 50010517:INGDDEFFXXX 10070000:DEUTDEBBXXX",
    "BE": "001:GEBABEBB 310:BBRUBEBB 734:KREDBEBB",
    "FR": "30004:BNPAFRPP 30003:SOGEFRPP 20041:PSSTFRPP",
    "GB": "NWBK:NWBKGB2L BARC:BARCGB22 LOYD:LOYDGB2L",
    "IE": "AIBK:AIBKIE2D BOFI:BOFIIE2D",
    "US": "021000021:CHASUS33 026009593:BOFAUS3N",
    "SE": "500:ESSESESS 800:SWEDSESS 600:HANDSESS",
    "DK": "3000:DABADKKK 2000:NDEADKKK",
    "NO": "1503:DNBANOKK 6010:NDEANOKK",
    "CH": "00762:UBSWCHZH80A 00700:ZKBKCHZZ80A",
    "AT": "20111:GIBAATWWXXX 12000:BKAUATWWXXX",
    "ES": "2100:CAIXESBBXXX 0049:BSCHESMMXXX 0182:BBVAESMMXXX",
    "IT": "03069:BCITITMM 02008:UNCRITMM",
    "FI": "800:DABAFIHH 100:NDEAFIHH",
}


# Real places, so an address reads right; street names come from Faker.
CITIES = {
    "NL": "Amsterdam Rotterdam Utrecht Eindhoven Tilburg Groningen Breda Nijmegen Zwolle Venlo",
    "DE": "Hamburg Köln München Düsseldorf Stuttgart Bremen Hannover Nürnberg Dortmund Leipzig",
    "BE": "Antwerpen Gent Brussel Brugge Leuven Mechelen Liège Namur Hasselt Kortrijk",
    "FR": "Lyon Lille Nantes Toulouse Bordeaux Strasbourg Rennes Grenoble Rouen Paris",
    "GB": "London Manchester Birmingham Leeds Bristol Sheffield Glasgow Nottingham Leicester",
    "IE": "Dublin Cork Limerick Galway Waterford Athlone Drogheda",
    "US": "Chicago Houston Atlanta Boston Denver Seattle Charlotte Columbus Newark",
    "SE": "Stockholm Göteborg Malmö Uppsala Västerås Örebro Linköping Jönköping",
    "DK": "København Aarhus Odense Aalborg Esbjerg Kolding Vejle",
    "NO": "Oslo Bergen Trondheim Stavanger Drammen Kristiansand",
    "CH": "Zürich Basel Bern Luzern Winterthur St.Gallen Zug",
    "AT": "Wien Graz Linz Salzburg Innsbruck Klagenfurt Wels",
    "ES": "Madrid Barcelona Valencia Sevilla Zaragoza Bilbao Málaga",
    "IT": "Milano Torino Bologna Verona Padova Brescia Bergamo Firenze",
    "FI": "Helsinki Espoo Tampere Vantaa Oulu Turku Lahti",
}
US_ZONES = {"Chicago": 1, "Houston": 1, "Denver": 2, "Seattle": 3}
LANGUAGE_NAMES = {
    "nl": "Dutch", "de": "German", "fr": "French", "sv": "Swedish", "da": "Danish",
    "nb": "Norwegian", "es": "Spanish", "it": "Italian", "fi": "Finnish", "en": "English",
}  # fmt: skip


def _country(row) -> Country:
    code, locale, currency, zones, languages, rate, tld, prefix, forms, weight = row
    language = languages.split()[0]
    column = _TRADE_LANGUAGE.get(language, 0)
    return Country(
        code=code,
        locale=locale,
        currency=currency,
        time_zones=tuple(zones.split()),
        languages=tuple(languages.split()),
        vat_rate=Decimal(rate),
        tld=tld,
        phone_prefix=prefix,
        legal_forms=tuple(forms.split("|")),
        trades={sector: words[column] for sector, words in _TRADES.items()},
        banks=tuple(tuple(pair.split(":")) for pair in _BANKS[code].split()),
        weight=weight,
    )


COUNTRIES: dict[str, Country] = {row[0]: _country(row) for row in _ROWS}

# Non-euro parties invoice in their own currency most of the time; the rest
# bill the group in euros, which is common for exporters.
_OWN_CURRENCY_SHARE = 0.75


def pick_country(rng: random.Random) -> Country:
    countries = list(COUNTRIES.values())
    return rng.choices(countries, weights=[c.weight for c in countries])[0]


def pick_currency(rng: random.Random, country: Country) -> str:
    if country.currency == "EUR" or rng.random() < _OWN_CURRENCY_SHARE:
        return country.currency
    return "EUR"


# --- Tax ids ------------------------------------------------------------------


def _retry(rng: random.Random, make, valid) -> str:
    # Check digits that are a "weighted sum mod 11" are simplest to hit by
    # drawing again; one draw in eleven passes, so this ends quickly.
    for _ in range(500):
        candidate = make()
        if valid(candidate):
            return candidate
    raise RuntimeError("could not draw a valid number")  # pragma: no cover


def tax_id(rng: random.Random, country: Country) -> str:
    """A tax id in the form the country prints it on an invoice, with valid check digits."""
    code = country.code
    if code == "NL":
        return "NL" + _retry(
            rng, lambda: _digits(rng, 9) + "B01", lambda n: nl_btw.is_valid("NL" + n)
        )
    if code == "DE":
        body = rng.choice("123456789") + _digits(rng, 7)
        return "DE" + body + mod_11_10.calc_check_digit(body)
    if code == "BE":
        body = "0" + rng.choice("23456789") + _digits(rng, 6)
        number = body + f"{97 - int(body) % 97:02d}"
        assert be_vat.is_valid(number)
        return "BE" + number
    if code == "FR":
        siren = rng.choice("3456789") + _digits(rng, 7)
        siren += luhn.calc_check_digit(siren)
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if code == "GB":
        body = rng.choice("123456789") + _digits(rng, 6)
        weighted = sum(w * int(d) for w, d in zip(range(8, 1, -1), body, strict=True))
        return f"GB{body}{(-weighted) % 97:02d}"
    if code == "IE":
        body = rng.choice("3456789") + _digits(rng, 6)
        return "IE" + body + ie_vat.calc_check_digit(body) + "H"
    if code == "SE":
        body = rng.choice("5") + _digits(rng, 8)
        return "SE" + body + luhn.calc_check_digit(body) + "01"
    if code == "DK":
        return "DK" + _retry(
            rng, lambda: rng.choice("123456789") + _digits(rng, 7), dk_cvr.is_valid
        )
    if code == "NO":
        return _retry(rng, lambda: rng.choice("89") + _digits(rng, 8), no_orgnr.is_valid) + "MVA"
    if code == "CH":
        body = rng.choice("123456789") + _digits(rng, 7)
        number = body + ch_uid.calc_check_digit(body)
        return f"CHE-{number[:3]}.{number[3:6]}.{number[6:]} MWST"
    if code == "AT":
        body = "U" + rng.choice("123456789") + _digits(rng, 6)
        return "AT" + body + at_uid.calc_check_digit(body)
    if code == "ES":
        body = rng.choice("AB") + _digits(rng, 7)
        return "ES" + body + es_cif.calc_check_digits(body + "0")[0]
    if code == "IT":
        body = _digits(rng, 7) + rng.choice(["001", "015", "036", "058", "096"])
        return "IT" + body + luhn.calc_check_digit(body)
    if code == "FI":
        return "FI" + _retry(
            rng, lambda: rng.choice("123456789") + _digits(rng, 7), fi_alv.is_valid
        )
    # United States: the federal employer id stands in for a VAT number.
    return f"{rng.choice(['12', '27', '46', '52', '84', '91'])}-{_digits(rng, 7)}"


# --- Bank accounts --------------------------------------------------------------


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def _no_account_check(number: str) -> str | None:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else str(check)


def _bban(rng: random.Random, country: Country, bank: str) -> str:
    code = country.code
    if code == "NL":
        return bank + _digits(rng, 10)
    if code == "DE":
        return bank + _digits(rng, 10)
    if code == "BE":
        body = bank + _digits(rng, 7)
        return body + f"{(int(body) % 97) or 97:02d}"
    if code == "FR":
        branch, account = _digits(rng, 5), _digits(rng, 11)
        return bank + branch + account + _fr_rib_key(bank, branch, account)
    if code in ("GB", "IE"):
        sort_code = ("60" if code == "GB" else "93") + _digits(rng, 4)
        return bank + sort_code + _digits(rng, 8)
    if code == "SE":
        return bank + _digits(rng, 17)
    if code == "DK":
        return bank + _digits(rng, 10)
    if code == "NO":
        while True:
            body = bank + _digits(rng, 6)
            check = _no_account_check(body)
            if check is not None:
                return body + check
    if code == "CH":
        return bank + _digits(rng, 12)
    if code == "AT":
        return bank + _digits(rng, 11)
    if code == "ES":
        branch, account = _digits(rng, 4), _digits(rng, 10)
        return bank + branch + es_ccc.calc_check_digits(bank + branch + "00" + account) + account
    if code == "IT":
        return rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") + bank + _digits(rng, 5) + _digits(rng, 12)
    if code == "FI":
        return bank + _digits(rng, 11)
    raise ValueError(code)


def bank_account(rng: random.Random, country: Country) -> tuple[str, str]:
    """(account, BIC): an IBAN with valid check digits, grouped in fours as printed.

    The United States has no IBAN; a plain account number stands in its place.
    """
    bank, bic = rng.choice(country.banks)
    if country.code == "US":
        return _digits(rng, 10), bic
    bban = _bban(rng, country, bank)
    check = iban_std.calc_check_digits(country.code + "00" + bban)
    return iban_std.format(country.code + check + bban), bic


# --- Contact details ------------------------------------------------------------


def city(rng: random.Random, country: Country) -> tuple[str, str]:
    """A city in the country and the time zone people there keep."""
    name = rng.choice(CITIES[country.code].split())
    return name, country.time_zones[US_ZONES.get(name, 0)]


def ascii_slug(text: str, separator: str = "") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return separator.join(re.findall(r"[a-z0-9]+", plain))


def phone(rng: random.Random, country: Country) -> str:
    if country.code == "US":
        return f"+1 {rng.randint(201, 989)} {rng.randint(200, 999)} {_digits(rng, 4)}"
    area = str(rng.randint(10, 99))
    return f"+{country.phone_prefix} {area} {_digits(rng, 3)} {_digits(rng, 4)}"
