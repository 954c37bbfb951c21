"""What credit control writes to customers and agents: reminder texts per level and tone, the
statement cover note, the proactive-credit notice and the follow-up digest.

Every customer-facing text here passes the reply coach (tests/creditcontrol/test_wording.py
reviews each one for a sample invoice). Placeholders: {name} (the contact), {number},
{amount} (what is still open, with its currency), {due} and {reply_by} (dates in words),
{team} (the team's name).

A first-time late payer (no invoice paid late in the last twelve months) gets the gentle
texts: it assumes an oversight and offers help. A repeat late payer gets a direct one that
says plainly this is not the first time, but neither ever threatens.
"""

from __future__ import annotations

GENTLE = "first_time"
DIRECT = "repeat"

REMINDERS: dict[tuple[str, str], tuple[str, str]] = {
    # (level, tone): (subject, body)
    ("before_due", GENTLE): (
        "Invoice {number} falls due on {due}",
        "Dear {name},\n\n"
        "A short note ahead of time: invoice {number} for {amount} falls due on {due}. "
        "If the payment is already planned, thank you, and there is nothing more to do.\n\n"
        "If anything on the invoice looks wrong to you, reply to this e-mail and I will look "
        "into it within two working days.\n\n"
        "Thank you for your business.\n\n"
        "Kind regards,\n{team}",
    ),
    ("before_due", DIRECT): (
        "Invoice {number} falls due on {due}",
        "Dear {name},\n\n"
        "Invoice {number} for {amount} falls due on {due}. Please schedule the payment so "
        "it reaches us by that day.\n\n"
        "If anything on the invoice stops you from paying it, reply to this e-mail before "
        "{due} and I will sort it out with you.\n\n"
        "Thank you for your business.\n\n"
        "Kind regards,\n{team}",
    ),
    ("on_due", GENTLE): (
        "Invoice {number} is due today",
        "Dear {name},\n\n"
        "Invoice {number} for {amount} is due today, {due}. If you have already paid it, "
        "thank you: the payment may simply still be on its way to us.\n\n"
        "If there is a question about the invoice, reply to this e-mail and I will answer "
        "within two working days.\n\n"
        "Thank you for your business.\n\n"
        "Kind regards,\n{team}",
    ),
    ("on_due", DIRECT): (
        "Invoice {number} is due today",
        "Dear {name},\n\n"
        "Invoice {number} for {amount} is due today, {due}. Please make sure the payment "
        "goes out today.\n\n"
        "If something is holding it up, reply to this e-mail by {reply_by} and I will help "
        "you find a way through.\n\n"
        "Thank you for your business.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_1", GENTLE): (
        "A friendly reminder about invoice {number}",
        "Dear {name},\n\n"
        "Our records show that invoice {number} for {amount} was due on {due} and is still "
        "open. It may simply have slipped through, or the payment may have crossed with "
        "this message.\n\n"
        "Could you let me know by {reply_by} when we can expect the payment? If there is a "
        "problem with the invoice, I am glad to help put it right.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_1", DIRECT): (
        "Reminder: invoice {number} is overdue",
        "Dear {name},\n\n"
        "Invoice {number} for {amount} was due on {due} and is still open. This is not the "
        "first payment in the past twelve months to reach us after its due date.\n\n"
        "Please pay the invoice by {reply_by}, or reply to this e-mail by then and tell me "
        "what is holding it up. If it helps, we can agree a payment plan.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_2", GENTLE): (
        "Invoice {number}: can we help?",
        "Dear {name},\n\n"
        "I wrote about invoice {number} a little while ago. It was due on {due}, and "
        "{amount} is still open.\n\n"
        "Is something about the invoice unclear, or is paying it in one go difficult right "
        "now? Reply to this e-mail by {reply_by} and I will work out a solution with you, "
        "for example a payment plan.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_2", DIRECT): (
        "Second reminder: invoice {number}",
        "Dear {name},\n\n"
        "This is our second reminder about invoice {number}. It was due on {due}, and "
        "{amount} is still open.\n\n"
        "Please pay it by {reply_by}. If you cannot, call or reply to this e-mail by then "
        "and we will agree a payment plan that works for you.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_3", GENTLE): (
        "Invoice {number}: let us find a way together",
        "Dear {name},\n\n"
        "Invoice {number} for {amount} has been open since {due}, and I would like to make "
        "sure we have not missed a question from you.\n\n"
        "Please reply to this e-mail by {reply_by} with the date you expect to pay, or tell "
        "me what you need from us. I will then call you to agree the next step.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
    ("after_due_3", DIRECT): (
        "Third reminder: invoice {number}",
        "Dear {name},\n\n"
        "This is our third reminder about invoice {number}. It was due on {due}, and "
        "{amount} is still open.\n\n"
        "Please pay it by {reply_by}. If that is not possible, reply to this e-mail by then "
        "and my team lead and I will agree a payment plan with you.\n\n"
        "Thank you for your help with this.\n\n"
        "Kind regards,\n{team}",
    ),
}

STATEMENT = (
    "Your statement of account for {period}",
    "Dear {name},\n\n"
    "Attached is your statement of account for {period}, as a PDF to read and a CSV file "
    "to import. It lists every invoice, credit note and payment in the period, with the "
    "balance on {end}.\n\n"
    "If a line does not match your records, reply to this e-mail and I will check it "
    "within two working days.\n\n"
    "Thank you for your business.\n\n"
    "Kind regards,\n{team}",
)

CREDIT_WHAT_HAPPENED = {
    "tax_error": "our invoice {source} charged you tax of {amount} in error: the tax code on "
    "the order was set up wrongly",
    "overpayment": "your payment {source} was {amount} more than the invoices it paid, "
    "so that amount is in your favour with us",
    "unapplied": "a credit of {amount} ({source}) was on your account but was never used "
    "against an invoice or paid back to you",
}
CREDIT_PREVENTION = {
    "tax_error": "To stop this happening again, we have corrected the tax set-up and added "
    "a check on the tax code of every new order.",
    "overpayment": "To prevent a repeat, we have added a check that flags every payment "
    "that is larger than the invoices it pays.",
    "unapplied": "To prevent this, we have added a monthly review of every credit on a "
    "customer's account.",
}
CREDIT = (
    "We owe you {amount}: here is what we are doing",
    "Dear {name},\n\n"
    "We found a mistake on our side before you had to tell us. What happened: "
    "{what_happened}.\n\n"
    "We will refund {amount} to your bank account by {refund_by}. You do not need to do "
    "anything for this.\n\n"
    "{prevention}\n\n"
    "I am sorry for the trouble, and thank you for your business.\n\n"
    "Kind regards,\n{team}",
)

DIGEST_SUBJECT = "Your follow-ups due today: {count}"
