"""The reply coach: reviews a draft reply and says what to change, why, and how.

Pure Python, no Django: `review(text, context)` takes the draft and what the
case knows, and returns a `Review` (score 0-100 and findings with character
spans into `text`). Context keys, all optional (absent means unknown, and the
checks that need the key are skipped):

- ``contact_name`` (str), ``customer_message`` (str, their last message)
- ``invoices``: list of {number, amount, currency, due_date (ISO), status}
- ``incident`` (bool, a mistake of ours), ``sla_breached`` (bool)
- ``reminder_level`` (int, 0 = first reminder), ``first_time_late`` (bool)
- ``team`` and ``language`` choose the rule set (``rules/<language>/`` plus the
  team's override directory).

Score: 100 minus 15 per error, 7 per warning and 3 per suggestion, counting
at most the first three findings of any one rule, never below 0 (see
``model.SEVERITY_WEIGHTS``). Findings are sorted by position.

Rules are YAML files under ``rules/`` (Vale's format plus ``category`` and
``extends: check`` for the checks written in Python). Nothing heavy is loaded
at import: the rules, the dictionary and the sentiment model load on the first
review and are then cached for the life of the process.
"""

from .context import ContextError, parse_context
from .engine import review
from .model import CATEGORIES, SEVERITY_WEIGHTS, Finding, Review
from .ruleset import RuleError, RuleSet, load_rules

__all__ = [
    "CATEGORIES",
    "SEVERITY_WEIGHTS",
    "ContextError",
    "Finding",
    "Review",
    "RuleError",
    "RuleSet",
    "load_rules",
    "parse_context",
    "review",
]
