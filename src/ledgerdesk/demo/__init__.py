"""Demo data: a believable finance hub for trying LedgerDesk, and its demo logins.

`ledgerdesk run` calls `load_demo_once()` at start-up; `ledgerdesk demo` loads
on request (see `ledgerdesk.core.management.commands.demo`). The generator lives
in `ledgerdesk.demo.generator`; it is imported lazily here because this package
is imported before Django's apps are ready.
"""

from __future__ import annotations

from typing import TextIO


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, password, role) of the demo users.

    Demo credentials, printed at start-up on purpose: never use them on an
    installation that holds real data (the loader refuses to add demo data to a
    database that already has parties).
    """
    return [
        ("agent", "agent-demo-2026", "Agent"),
        ("lead", "lead-demo-2026", "Lead"),
        ("manager", "manager-demo-2026", "Manager"),
        ("admin", "admin-demo-2026", "Admin"),
    ]


def load_demo_once(stdout: TextIO) -> bool:
    """Load the standard demo set unless demo data (or any other party) is already here.

    Returns True when it loaded now. Either way it tells `stdout` what it did; the
    demo logins are the caller's to print (`demo_logins()`), as `ledgerdesk run`
    does in its banner.
    """
    from ledgerdesk.demo import loading

    return loading.load_once(stdout)
