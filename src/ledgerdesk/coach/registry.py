"""Named Python checks that a rule file can switch on with `extends: check`.

A check is a function `(doc, rule, ctx, rules) -> Iterable[Finding]`. It declares
the parameters a lead may set in the rule file, with their defaults, so that
the loader can reject a misspelt key instead of silently ignoring it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import Context
    from .document import Document
    from .model import Finding
    from .ruleset import Rule, RuleSet

CheckFunction = Callable[["Document", "Rule", "Context", "RuleSet"], Iterable["Finding"]]


@dataclass(frozen=True)
class Check:
    name: str
    function: CheckFunction
    params: dict[str, Any]


CHECKS: dict[str, Check] = {}


def register(name: str, **params: Any) -> Callable[[CheckFunction], CheckFunction]:
    def decorate(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = Check(name, function, dict(params))
        return function

    return decorate


def load_checks() -> dict[str, Check]:
    """Import the built-in checks once; they register themselves on import."""
    if not CHECKS:
        from . import checks  # noqa: F401  (imported for its registrations)
    return CHECKS
