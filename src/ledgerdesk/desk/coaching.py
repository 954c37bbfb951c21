"""The reply coach on a case: what the coach may know about it, and its review of a draft.

`ledgerdesk.coach` is pure and knows nothing of cases. This module gathers its context from
the case (contact, the customer's last message, the linked invoices, incident, SLA breach,
team), runs it, and prepares the review for the composer: severity in words, the flagged
words, and a `replacement` where a suggestion is text that can stand in for the flagged span
("paid" for "payed", the ledger's amount for a wrong one) rather than advice to adapt.

The reply view runs the review itself on every send; the composer's live review is a
convenience and is never trusted.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ledgerdesk import coach
from ledgerdesk.coach.ruleset import RULES_DIR, Rule, RuleSet
from ledgerdesk.desk import canned, clocks
from ledgerdesk.desk.models import Case, Message

log = logging.getLogger(__name__)

SEVERITY_WORDS = {"error": "Must fix", "warning": "Should fix", "suggestion": "Could improve"}
EXCERPT_CHARS = 80

# Checks whose suggestion is the corrected text of the very span they flag: the spelling,
# normal case for capitals, the ledger's amount, due date or (single) invoice number, and
# "Hi Jan," for the greeting that names someone else. Every other check flags a sentence
# and suggests an example to adapt, or flags where something is missing (Greeting.Missing
# points at the first sentence and suggests a greeting to put before it, not instead of it).
REPLACING_CHECKS = frozenset(
    {
        "spelling",
        "all_caps",
        "accuracy_amount",
        "accuracy_due_date",
        "accuracy_invoice_number",
        "greeting_name",
    }
)
# Marks of a template to fill in rather than text to send: "...", "<first name>".
_TEMPLATE = re.compile(r"\.\.\.|…|<[^<>]*>|\[[^\[\]]*\]|\n")


def _language(case: Case) -> str:
    """The contact's language when the coach has rules for it, else English.

    Without rules for a language the coach cannot review at all; English is the hub's
    working language and what most replies to foreign contacts are written in.
    """
    wanted = (case.contact.language if case.contact_id else "") or "en"
    code = wanted.lower().replace("_", "-").split("-")[0]
    return code if (RULES_DIR / code).is_dir() else "en"


def _invoice(invoice) -> dict[str, Any]:
    # The open amount while something is owed: it is what the agent quotes ("invoice 4411
    # for EUR 1,520.00 is scheduled") and what canned replies fill in as {amount}. A settled
    # invoice is talked about at its full payable amount.
    amount = invoice.amount_open if invoice.amount_open else invoice.amount_payable
    return {
        "number": invoice.number,
        "amount": str(amount),
        "currency": invoice.currency or None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "status": invoice.status,
    }


def context_for(case: Case, now=None) -> dict[str, Any]:
    """What the coach may know about `case`, in its documented context shape.

    Unknown stays absent (None), so the coach skips the checks that would need it.
    """
    last_inbound = (
        case.messages.filter(direction=Message.Direction.INBOUND)
        .order_by("-at", "-id")
        .values_list("text", flat=True)
        .first()
    )
    breached = any(c["state"] == "breached" for c in clocks.status(case, now))
    return {
        "contact_name": case.reply_to_name or None,
        "customer_message": last_inbound,
        "invoices": [_invoice(inv) for inv in canned.linked_invoices(case)],
        "incident": case.incident,
        "sla_breached": breached,
        "team": case.team.code,
        "language": _language(case),
    }


def _rules(context: dict[str, Any]) -> tuple[dict[str, Any], RuleSet]:
    """The team's rules; the built-in ones when a lead's override file is broken.

    A broken override must not stop a desk from answering customers: it is logged for the
    lead to fix, and the reply is coached on the rules everyone shares.
    """
    try:
        return context, coach.load_rules(context["language"], context["team"])
    except coach.RuleError:
        log.exception(
            "coach rules of team %s are broken; using the built-in rules", context["team"]
        )
        context = {**context, "team": None}
        return context, coach.load_rules(context["language"])


def review_for_case(case: Case, text: str, now=None) -> coach.Review:
    """The coach's review of `text` as a reply on `case`."""
    context, rules = _rules(context_for(case, now))
    return coach.review(text, context, rules=rules)


def stored_review(review: coach.Review, case: Case) -> dict[str, Any]:
    """What is kept on the sent Message: the review as the coach gives it, and the team's
    threshold at the time (it changes; the trends compare against what applied)."""
    return {**review.to_dict(), "threshold": case.team.coach_threshold}


def _match_case(flagged: str, replacement: str) -> str:
    """A replacement opening a sentence starts with a capital: "Prior to" -> "Before"."""
    if flagged[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def replacement(finding: coach.Finding, rule: Rule | None, text: str) -> str | None:
    """The text that may replace `text[finding.start:finding.end]`, or None when the
    suggestion is advice or an example to adapt (the composer offers Apply only for this)."""
    suggestion = finding.suggestion
    if rule is None or not suggestion.strip() or _TEMPLATE.search(suggestion):
        return None
    if rule.extends == "substitution":
        # Vale's convention: the message quotes the swap value as the words to write
        # ("Use 'before' instead of 'prior to'."). A swap value that is advice stands in the
        # message as a sentence of its own (Blame.PassiveAggressive: "... sounds like a
        # reprimand. Drop it and say the thing directly.").
        if f"'{suggestion}'" not in finding.message:
            return None
        suggestion = _match_case(text[finding.start : finding.end], suggestion)
    elif rule.extends == "check":
        check = rule.get("check")
        if check not in REPLACING_CHECKS:
            return None
        if check == "accuracy_invoice_number" and "," in suggestion:
            return None  # the case has several invoices: the list to choose from
    elif rule.extends == "existence":
        # Only a punctuation fix ("!!!" -> "."); word suggestions are example sentences.
        if any(ch.isalnum() for ch in suggestion):
            return None
    else:
        return None
    # The greeting span stops before its comma ("Dear customer|,"): keep one comma.
    following = text[finding.end : finding.end + 1]
    if following and suggestion[-1] in ",;:." and following == suggestion[-1]:
        suggestion = suggestion[:-1]
    return suggestion


def for_composer(review: coach.Review, case: Case, text: str) -> dict[str, Any]:
    """The review as the composer shows it, live (JSON) and after a refused send (HTML)."""
    context = {"language": _language(case), "team": case.team.code}
    _, rules = _rules(context)
    threshold = case.team.coach_threshold
    findings = []
    for finding in review.findings:
        flagged = text[finding.start : finding.end]
        excerpt = flagged if len(flagged) <= EXCERPT_CHARS else flagged[: EXCERPT_CHARS - 1] + "…"
        findings.append(
            {
                **finding.to_dict(),
                "severity_words": SEVERITY_WORDS.get(finding.severity, finding.severity),
                "excerpt": excerpt,
                "replacement": replacement(finding, rules.rule(finding.rule), text),
            }
        )
    return {
        "score": review.score,
        "threshold": threshold,
        "below_threshold": review.score < threshold,
        "findings": findings,
    }
