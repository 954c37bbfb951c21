"""The registry: every check the watch runs, in one place and in the order they run.

To add a check, write a `Check` subclass (see `base.py`) in a module here and list it in
`CHECKS`. The order matters once: `repeat_vendor` counts what the checks before it found.
"""

from __future__ import annotations

from ledgerdesk.watch.checks.base import Check, Found, Settings, Threshold
from ledgerdesk.watch.checks.documents import VendorDocuments
from ledgerdesk.watch.checks.payables import (
    ApprovalNearDue,
    Mismatch,
    NotRouted,
    PaymentReturned,
    RepeatVendor,
    SuspectedDuplicate,
)

CHECKS: tuple[type[Check], ...] = (
    NotRouted,
    ApprovalNearDue,
    Mismatch,
    SuspectedDuplicate,
    PaymentReturned,
    VendorDocuments,
    RepeatVendor,
)
REGISTRY: dict[str, type[Check]] = {check.name: check for check in CHECKS}


def get(name: str) -> type[Check]:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise KeyError(f"check: {name!r} is not a check of the watch (they are: {known})") from None


def choices() -> list[tuple[str, str]]:
    return [(check.name, check.title) for check in CHECKS]


__all__ = ["CHECKS", "REGISTRY", "Check", "Found", "Settings", "Threshold", "choices", "get"]
