"""Folding quoted history and signatures, and reading HTML bodies as text."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.mail.parsing import parse_message
from ledgerdesk.mail.quoting import html_to_text, split_reply

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

AGENT_MAIL = "Dear Vera,\n\ninvoice 4411 is scheduled for payment on Friday.\n\nAnna"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n"))


def test_a_message_without_quote_comes_back_whole():
    text = "Hello,\n\nwhen will you pay invoice 4411?\n\nVera"
    assert split_reply(text) == (text, "", "")


def test_gmail_reply():
    text = (
        "Thanks, we will wait for Friday.\n\n"
        "On Tue, Mar 3, 2026 at 10:00 AM Anna Agent <ap@desk.example> wrote:\n\n"
        f"{_quoted(AGENT_MAIL)}\n"
    )
    new, quoted, signature = split_reply(text)
    assert new == "Thanks, we will wait for Friday."
    assert quoted.startswith("On Tue, Mar 3, 2026") and "> invoice 4411 is scheduled" in quoted
    assert signature == ""


def test_gmail_attribution_wrapped_over_two_lines():
    text = (
        "Received, thank you.\n\n"
        "On Tue, Mar 3, 2026 at 10:00 AM Accounts Payable Team of Our Company Ltd <\n"
        "ap@desk.example> wrote:\n\n"
        f"{_quoted(AGENT_MAIL)}"
    )
    new, quoted, _ = split_reply(text)
    assert new == "Received, thank you."
    assert quoted.startswith("On Tue") and quoted.endswith("> Anna")


def test_outlook_reply_with_header_block_and_sign_off():
    text = (
        "Hello,\r\n\r\nplease find the corrected invoice attached.\r\n\r\n"
        "Best regards,\r\nVera Vendor\r\nAccounts Receivable\r\n"
        "Vendor GmbH | Tel +49 30 1234567\r\n\r\n"
        "________________________________\r\n"
        "From: Accounts Payable <ap@desk.example>\r\n"
        "Sent: Tuesday, March 3, 2026 10:00 AM\r\n"
        "To: Vera Vendor <vera@vendor.example>\r\n"
        "Subject: [AP-2026-000123] Invoice 4411\r\n\r\n"
        f"{AGENT_MAIL}\r\n"
    )
    new, quoted, signature = split_reply(text)
    assert new == (
        "Hello,\n\nplease find the corrected invoice attached.\n\nBest regards,\nVera Vendor"
    )
    assert signature == "Accounts Receivable\nVendor GmbH | Tel +49 30 1234567"
    assert quoted.startswith("________________________________\nFrom: Accounts Payable")
    assert quoted.endswith("Anna")


def test_outlook_original_message_separator():
    msg = parse_message((SAMPLES / "django-helpdesk-forwarded-message.eml").read_bytes())
    new, quoted, signature = split_reply(msg.text)
    assert new == "This is email body"
    assert quoted.startswith("-----Original Message-----\nFrom: GitHub <noreply@github.com>")
    assert quoted.endswith("The GitHub Team")
    assert signature == ""


def test_german_outlook_header_block():
    text = (
        "Hallo,\n\ndie Zahlung ist heute raus.\n\nMit freundlichen Grüßen\nAnna Agent\n\n"
        "Von: Vera Vendor <vera@vendor.example>\n"
        "Gesendet: Dienstag, 3. März 2026 10:00\n"
        "An: ap@desk.example\n"
        "Betreff: Rechnung 4411\n\n"
        "Wann zahlen Sie?"
    )
    new, quoted, _ = split_reply(text)
    assert new.endswith("Mit freundlichen Grüßen\nAnna Agent")
    assert quoted.startswith("Von: Vera Vendor") and quoted.endswith("Wann zahlen Sie?")


def test_german_thunderbird_attribution():
    text = (
        "Danke, erledigt.\n\n"
        "Am 03.03.26 um 10:00 schrieb Anna Agent <ap@desk.example>:\n"
        f"{_quoted(AGENT_MAIL)}"
    )
    assert split_reply(text)[0] == "Danke, erledigt."


def test_french_attribution():
    text = (
        "Merci, c'est noté.\n\n"
        "Le mar. 3 mars 2026 à 10:00, Anna Agent <ap@desk.example> a écrit :\n\n"
        f"{_quoted(AGENT_MAIL)}"
    )
    new, quoted, _ = split_reply(text)
    assert new == "Merci, c'est noté."
    assert quoted.startswith("Le mar. 3 mars 2026")


def test_apple_mail_from_an_iphone():
    text = (
        "Paid this morning.\n\nSent from my iPhone\n\n"
        "> On 3 Mar 2026, at 10:00, Anna Agent <ap@desk.example> wrote:\n>\n"
        f"{_quoted(AGENT_MAIL)}\n"
    )
    new, quoted, signature = split_reply(text)
    assert (new, signature) == ("Paid this morning.", "Sent from my iPhone")
    assert quoted.startswith("> On 3 Mar 2026")


def test_german_mobile_sign_off():
    new, _, signature = split_reply("Passt so.\n\nVon meinem iPhone gesendet")
    assert (new, signature) == ("Passt so.", "Von meinem iPhone gesendet")


def test_standard_signature_delimiter():
    text = "The remittance is attached.\n\n-- \nVera Vendor\nVendor GmbH\nhttps://vendor.example"
    assert split_reply(text) == (
        "The remittance is attached.",
        "",
        "-- \nVera Vendor\nVendor GmbH\nhttps://vendor.example",
    )


def test_a_long_block_after_a_bare_double_dash_is_not_a_signature():
    text = "Totals:\n--\n" + "\n".join(f"invoice {n}: 100.00" for n in range(4400, 4415))
    assert split_reply(text) == (text, "", "")


def test_a_sign_off_followed_by_content_is_kept():
    text = "Please check these:\n\nThanks\n4411\n4412\n4413"
    assert split_reply(text) == (text, "", "")


def test_a_sign_off_followed_by_a_question_is_kept():
    text = "Paid.\n\nRegards,\nVera\nP.S. Could you call me at +49 30 1234567?"
    assert split_reply(text)[2] == ""


def test_inline_answers_keep_their_quotes():
    text = "> When did you send it?\nOn 1 March.\n\n> To which address?\nTo ap@desk.example."
    assert split_reply(text) == (text, "", "")


def test_only_the_trailing_quote_is_folded_after_inline_answers():
    text = f"> When did you send it?\nOn 1 March.\n\n{_quoted(AGENT_MAIL)}"
    new, quoted, _ = split_reply(text)
    assert new == "> When did you send it?\nOn 1 March."
    assert quoted.startswith("> Dear Vera")


def test_an_attribution_with_an_answer_below_the_quote_is_an_inline_reply():
    text = "On Monday you wrote:\n> Which invoice?\nInvoice 4411, the one from March."
    assert split_reply(text) == (text, "", "")


def test_a_sentence_starting_like_a_mobile_footer_is_kept():
    text = "Paid today.\nSent from my bank account at 9:00, reference 4411."
    assert split_reply(text) == (text, "", "")


def test_a_reply_that_is_only_a_quote_is_not_emptied():
    text = f"On Tue, Mar 3, 2026 at 10:00 AM Anna <ap@desk.example> wrote:\n{_quoted(AGENT_MAIL)}"
    assert split_reply(text) == (text, "", "")


def test_a_bare_forward_is_the_message_itself():
    text = (
        "---------- Forwarded message ---------\n"
        "From: Vera Vendor <vera@vendor.example>\nDate: Tue, 3 Mar 2026\n"
        "Subject: Invoice 4411\nTo: colleague@ourco.example\n\nWhen will you pay?"
    )
    assert split_reply(text) == (text, "", "")
    forward = parse_message((SAMPLES / "django-helpdesk-utf-nondecodable.eml").read_bytes())
    new, quoted, _ = split_reply(forward.text)
    assert "podle domluvy bych Tě poprosila" in new and quoted == ""


def test_a_forward_with_a_note_keeps_the_forwarded_text_too():
    text = (
        "Can AP look at this?\n\n"
        "---------- Forwarded message ---------\n"
        "From: Vera Vendor <vera@vendor.example>\nDate: Tue, 3 Mar 2026\n"
        "Subject: Invoice 4411\nTo: colleague@ourco.example\n\nWhen will you pay?"
    )
    assert split_reply(text)[0] == text


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.eml")))
def test_no_sample_loses_its_words(name):
    text = parse_message((SAMPLES / name).read_bytes()).text
    new, quoted, signature = split_reply(text)
    assert set(text.split()) == set(f"{new} {quoted} {signature}".split())


def test_gmail_html_reply_is_folded_through_its_blockquote():
    msg = EmailMessage()
    msg["From"] = "vera@vendor.example"
    msg["Subject"] = "Re: [AP-2026-000123] Invoice 4411"
    msg.set_content(
        '<div dir="ltr">Thanks, understood.</div><br><div class="gmail_quote">'
        '<div dir="ltr" class="gmail_attr">On Tue, Mar 3, 2026 at 10:00 AM Anna Agent &lt;'
        '<a href="mailto:ap@desk.example">ap@desk.example</a>&gt; wrote:<br></div>'
        '<blockquote class="gmail_quote"><div>Dear Vera,</div><div><br></div>'
        "<div>invoice 4411 is scheduled.</div></blockquote></div>",
        subtype="html",
    )
    new, quoted, _ = split_reply(parse_message(msg.as_bytes()).text)
    assert new == "Thanks, understood."
    assert quoted.splitlines()[0].endswith("wrote:")
    assert "> invoice 4411 is scheduled." in quoted


def test_html_to_text_keeps_structure_and_drops_noise():
    html = (
        "<!--[if mso]><style>p{}</style><![endif]--><table><tr><td>Invoice</td><td>4411</td>"
        "</tr><tr><td>Amount</td><td>1&nbsp;200.00</td></tr></table>"
        "<p>See <a href='https://www.vendor.example/'>www.vendor.example</a> or "
        "<a href='#top'>top</a>.</p><pre>  keep\n    this</pre>"
        "<noscript>enable js</noscript>"
    )
    assert html_to_text(html) == (
        "Invoice  4411\nAmount  1 200.00\n\nSee www.vendor.example or top.\n\n  keep\n    this"
    )


def test_html_to_text_survives_broken_markup():
    assert html_to_text("<p>unclosed <b>bold <a href=x>link") == "unclosed bold link"
    assert html_to_text("<head><title>x</title><body>after a head never closed") == (
        "after a head never closed"
    )
    assert html_to_text("<![CDATA[ odd ]]><!DOCTYPE x><p>ok\x00</p>").endswith("ok")


LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "",
                "-- ",
                "--",
                "> quoted",
                ">",
                "Best regards,",
                "Thanks",
                "Sent from my iPhone",
                "On Tue, Mar 3, 2026 at 10:00 AM Anna <ap@desk.example> wrote:",
                "-----Original Message-----",
                "From: Anna <ap@desk.example>",
                "Sent: Tuesday",
                "Subject: x",
                "Tel +49 30 1234567",
                "---------- Forwarded message ---------",
            ]
        ),
        st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
    ),
    max_size=30,
)


@settings(max_examples=400, suppress_health_check=QUIET)
@given(LINES)
def test_split_reply_never_loses_a_word_nor_empties_a_message(lines):
    text = "\n".join(lines)
    new, quoted, signature = split_reply(text)
    assert set(text.split()) == set(f"{new} {quoted} {signature}".split())
    if text.strip():
        assert new.strip()
