"""What the coach's rule tests share: a body framed as a whole reply, reviewed in a context.

A test writes only the sentences it is about; `framed` puts a greeting by name above them
and a close below, so the other checks stay quiet unless the test changes those parts.
Pass `rules=RULES_ALONE` to read a reply by the rules without the learned layer, as the
tests of a general rule do (the layer is retrained after the rules and judged apart).
"""

from functools import partial

from ledgerdesk.coach import review
from ledgerdesk.coach.checks.conversation import frustration
from ledgerdesk.coach.context import parse_context
from ledgerdesk.coach.ruleset import load_rules

CONTACT = "Greta Lund"
GREETING = "Hi Greta,"
CLOSING = "Kind regards,\nTomas"

# Passing a rule set explicitly leaves the learned layer out (engine.review).
RULES_ALONE = load_rules("en")


def framed(body, greeting=GREETING, closing=CLOSING):
    return f"{greeting}\n\n{body}\n\n{closing}"


def reviewed(body, *, greeting=GREETING, closing=CLOSING, contact=CONTACT, rules=None, **context):
    """The text as framed and its review; `context` adds to (or, as None, removes) the contact."""
    text = framed(body, greeting, closing)
    if contact is not None:
        context = {"contact_name": contact, **context}
    return text, review(text, context, rules=rules)


def categories(body, **kwargs):
    return set(reviewed(body, **kwargs)[1].categories)


def findings(body, category=None, **kwargs):
    found = reviewed(body, **kwargs)[1].findings
    return [f for f in found if category is None or f.category == category]


def flagged(body, category, **kwargs):
    """Whether anything in `category` is reported."""
    return bool(findings(body, category, **kwargs))


def hits(body, category=None, **kwargs):
    """Each finding as (rule, the words it covers in the text as framed)."""
    text, result = reviewed(body, **kwargs)
    found = [f for f in result.findings if category is None or f.category == category]
    return [(f.rule, text[f.start : f.end]) for f in found]


def rules_fired(body, category=None, **kwargs):
    return {f.rule for f in findings(body, category, **kwargs)}


def rule_hits(body, rule, **kwargs):
    """The words each finding of `rule` covers, in the text as framed."""
    return [said for name, said in hits(body, **kwargs) if name == rule]


def frustrated(message, **context):
    """Whether the customer's message reads as frustrated (or the case as late) to the coach."""
    rule = next(r for r in RULES_ALONE.rules if r.name == "Empathy.Acknowledge")
    return frustration(rule, parse_context({"customer_message": message, **context})) is not None


def writer(contact, greeting, closing=CLOSING):
    """The helpers above with another reader and signature, for a file written in their voice."""
    kwargs = {"contact": contact, "greeting": greeting, "closing": closing}
    return (
        partial(categories, **kwargs),
        partial(findings, **kwargs),
        partial(rule_hits, **kwargs),
    )


# An incident reply's three answers, one plain sentence each: a test of one of them
# swaps its own sentence in and keeps the other two.
INCIDENT_INVOICE = {"number": "118", "amount": "420.00", "currency": "EUR",
                    "due_date": "2026-06-30", "status": "open"}  # fmt: skip
HAPPENED = "What happened: the payment was keyed to the wrong supplier account."
FIX = (
    "I have asked our bank to recall it; the money will be back in your account by Friday 12 June."
)
PREVENTION = "To stop this happening again, every bank change is now checked by a second person."


def incident_rules(*sentences):
    """The critical-needs rules that fire, by the rules alone, on an incident reply of these
    sentences."""
    body = "\n\n".join(sentences)
    return rules_fired(
        body, "critical_needs", rules=RULES_ALONE, incident=True, invoices=[INCIDENT_INVOICE]
    )
