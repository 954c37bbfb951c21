"""What every check is: a name, thresholds a lead may change, one query, and a message.

A check's `find()` runs one indexed query (or a few) and yields `Found` items: the object it
is about, a key that stays the same from run to run, and the facts its message needs. It
writes nothing; `watch.services` turns what it yields into findings and cases.

The message has the three parts the reply coach asks of an incident reply: what happened,
what we are doing and by when, and how we keep it from happening again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ledgerdesk.watch.dates import business_days_after, business_days_before, long_date


@dataclass(frozen=True)
class Threshold:
    """A number (or a list of codes) a lead may set for a check, with its default and range."""

    default: Any
    help: str
    minimum: int = 0
    maximum: int = 3650
    codes: bool = False  # a list of two-letter codes (countries) instead of a whole number

    def clean(self, name: str, value: Any) -> Any:
        if self.codes:
            if not isinstance(value, list) or not all(
                isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) for code in value
            ):
                raise ValueError(
                    f"{name}: must be a list of two-letter codes in capitals "
                    f'(e.g. ["US"]), not {value!r}'
                )
            return list(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"{name}: must be a whole number from {self.minimum} to {self.maximum}, "
                f"not {value!r}"
            )
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{name}: must be from {self.minimum} to {self.maximum}, not {value}")
        return value


# Every check promises the vendor (or the team) an answer within this many business days.
REPLY_DAYS = Threshold(2, "Business days within which we promise the next step.", 1, 20)
# A backlog (the watch switched on over months of data, a new check) must not flood the queue
# and the vendors' inboxes in one hour: the rest waits for the next runs, and is counted.
MAX_NEW_CASES = Threshold(
    25, "At most this many new cases per check and run; the rest wait for the next run.", 1, 100000
)


@dataclass
class Found:
    """One thing a check found. `key` must be the same on every run for the same problem."""

    key: str
    summary: str
    party: Any = None  # a Party
    invoice: Any = None  # an Invoice
    subject: Any = None  # the row it is about (an invoice, a match, a suspicion, a run item)
    kind: str = ""  # what went wrong, for the "vendor keeps failing the same check" check
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """What a check's `find()` gets: the thresholds in force, and the moment of the run."""

    limits: Mapping[str, Any]
    now: dt.datetime
    holidays: frozenset[dt.date] = frozenset()

    @property
    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate(self.now)

    def __getitem__(self, name: str) -> Any:
        return self.limits[name]


class Check:
    """Subclass, fill in the class attributes and `find()`, and `register` it."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    category: ClassVar[str] = "other"  # a desk Case.Category value
    # Vendor-facing checks e-mail the message to the vendor's contact at once; the others
    # put it on the case as an internal note for the AP team.
    vendor_facing: ClassVar[bool] = False
    thresholds: ClassVar[dict[str, Threshold]] = {}
    subject_template: ClassVar[str] = ""
    what_happened: ClassVar[str] = ""
    what_we_do: ClassVar[str] = ""
    prevention: ClassVar[str] = ""

    @classmethod
    def declared(cls) -> dict[str, Threshold]:
        return {**cls.thresholds, "reply_days": REPLY_DAYS, "max_new_cases": MAX_NEW_CASES}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {name: t.default for name, t in cls.declared().items()}

    @classmethod
    def validate_thresholds(cls, values: Any) -> dict[str, Any]:
        """The lead's values, checked: ValueError naming the first bad key or value."""
        if values in (None, ""):
            return {}
        if not isinstance(values, dict):
            raise ValueError(
                f'thresholds: must be an object like {{"name": value}}, not {values!r}'
            )
        declared = cls.declared()
        cleaned = {}
        for name, value in values.items():
            if name not in declared:
                known = ", ".join(sorted(declared))
                raise ValueError(
                    f"{name}: the check {cls.name!r} has no such threshold (it has {known})"
                )
            cleaned[name] = declared[name].clean(name, value)
        return cleaned

    @classmethod
    def limits(cls, values: Any) -> dict[str, Any]:
        return {**cls.defaults(), **cls.validate_thresholds(values)}

    def find(self, settings: Settings) -> Iterator[Found]:
        raise NotImplementedError

    # --- The message ---------------------------------------------------------------------

    def facts_for(self, found: Found, settings: Settings) -> dict[str, Any]:
        reply_by = business_days_after(settings.today, settings["reply_days"], settings.holidays)
        return {
            "number": getattr(found.invoice, "number", ""),
            "vendor": str(found.party) if found.party is not None else "",
            "reply_by": long_date(reply_by),
            **settings.limits,
            **found.facts,
        }

    def subject(self, found: Found, settings: Settings) -> str:
        return self.subject_template.format(**self.facts_for(found, settings))

    def message(self, found: Found, settings: Settings, *, to: str = "", team: str = "") -> str:
        """The proactive case's first text: to the vendor's contact, or to the AP team."""
        facts = self.facts_for(found, settings)
        parts = [
            self.what_happened.format(**facts),
            self.what_we_do.format(**facts),
            self.prevention.format(**facts),
        ]
        greeting = f"Dear {to}," if to else "Hello team,"
        closing = f"Kind regards,\n{team}" if team else "Kind regards"
        return "\n\n".join([greeting, *parts, closing])


__all__ = [
    "Check",
    "Found",
    "Settings",
    "Threshold",
    "business_days_after",
    "business_days_before",
]
