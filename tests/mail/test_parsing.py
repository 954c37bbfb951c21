"""Parsing inbound mail: the real samples, threading headers, bodies, attachments, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.mail.parsing import (
    Disposition,
    ParsedMessage,
    ParseError,
    classify,
    clean_subject,
    find_case_reference,
    find_invoice_numbers,
    parse_message,
)

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
JAPANESE_SUBJECT = (
    "☆第132号\u3000「ガーデン&エクステリア」専門店のためのＱ&Ａサロン"
    "\u3000【月刊エクステリア・ワーク】"
)
VIENNA_SUBJECT = (
    "386 - 400021804 - 19., Heiligenstädter Straße 80 - 0819306 - Anfrage Vergabevorschlag"
)

# file, sender name, sender address, subject, a phrase of the body, attachments (name, size)
SAMPLE_FACTS = [
    (
        "django-helpdesk-all-special-chars.eml",
        "Timothy Hobbs",
        "timothy.hobbs@auto-mat.cz",
        "Testovácí email",
        "íářčšáíéřášč",
        [],
    ),
    (
        "django-helpdesk-blank-body-with-attachment.eml",
        "Timothy Hobbs",
        "timothy.hobbs@auto-mat.cz",
        "Attachment without body - and a l" + "o" * 179 + "ng subject",
        "",
        [("baf", 24)],
    ),
    (
        "django-helpdesk-forwarded-message.eml",
        "The Sender",
        "sender@domain.tld",
        "Test with original message from GitHub",
        "your application accessed the GitHub API with a token that has an outdated format",
        [],
    ),
    (
        "django-helpdesk-pgp.eml",
        "Bug Reporter",
        "bugreporter@example.com",
        "example email that crashes django-helpdesk get_email",
        # The soft line break of quoted-printable is undone: the URL comes out whole.
        "hi, thanks for looking into this :)\n\n"
        "https://github.com/django-helpdesk/django-helpdesk/issues/567#issuecomment-342954233",
        [("signature.asc", 801)],
    ),
    (
        "django-helpdesk-quoted_printable.eml",
        "Tim hobbs",
        "tim.thelion@gmail.com",
        "Český test",
        "Tohle je test českých písmen odeslaných z gmailu.",
        [],
    ),
    (
        "django-helpdesk-utf-nondecodable.eml",
        "John Smith",
        "john.smith@example.cz",
        "Fwd: Cyklozaměstnavatel - změna vyhodnocení",
        "podle domluvy bych Tě poprosila o změnu vyhodnocení",
        [],
    ),
    (
        "freescout-issue-4567.eml",
        "Análisis EC Madrid",
        "analisismadrid@xxx.org",
        JAPANESE_SUBJECT,
        "Hi",
        [(JAPANESE_SUBJECT, 3)],
    ),
    (
        "freescout-message-1.eml",
        "Análisis EC Madrid",
        "analisismadrid@xxx.org",
        JAPANESE_SUBJECT,
        "Hi",
        [(JAPANESE_SUBJECT, 3)],
    ),
    (
        "freescout-message-1b.eml",
        "",
        "from@there.com",
        VIENNA_SUBJECT,
        "Hi",
        [("2021_Mängelliste_0819306.xlsx", 3)],
    ),
    (
        "freescout-message-1symbols.eml",
        "",
        "from@there.com",
        VIENNA_SUBJECT,
        "Hi",
        [("Checkliste 10.,DAVIDGASSE 76-80;2;2.pdf", 3)],
    ),
    (
        "freescout-message-2.eml",
        "",
        "test@mail.com",
        "Test bad boundary",
        "This message may contain an attachment in a PDF format.\n\nSpecial Comments",
        [("file.pdf", 10915)],
    ),
    ("freescout-message-3.eml", "Análisis EC Madrid", "analisismadrid@xxx.org", "1", "1", []),
    (
        "freescout-message-4-null-bytes.eml",
        "",
        "a.volga@nami-ag.ru",
        "активизация виндойс",
        "Уважаемые системные администраторы, виндос просит активизации.",
        [("image001.png", 4531)],
    ),
    (
        "freescout-message-5-iso-2022-jp.eml",
        "アマゾン",
        "noreply@example.org",
        "ご注文商品を本日お届けします",
        "※ アマゾン 配送部",
        [],
    ),
]


def _sample(name: str) -> ParsedMessage:
    return parse_message((SAMPLES / name).read_bytes())


def _mail(body: str = "Hello", **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "Vera Vendor <vera@vendor.example>")
    msg["To"] = headers.pop("To", "ap@desk.example")
    msg["Subject"] = headers.pop("Subject", "Invoice question")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def test_every_sample_is_covered():
    assert sorted(p.name for p in SAMPLES.glob("*.eml")) == sorted(f[0] for f in SAMPLE_FACTS)


@pytest.mark.parametrize(
    ("name", "sender_name", "sender", "subject", "phrase", "files"), SAMPLE_FACTS
)
def test_it_reads_every_sample(name, sender_name, sender, subject, phrase, files):
    msg = _sample(name)
    assert msg.sender_name == sender_name
    assert msg.sender_email == sender
    assert msg.subject == subject
    assert phrase in msg.text
    assert [(a.filename, a.size) for a in msg.attachments] == files
    assert all(a.size == len(a.content) for a in msg.attachments)
    assert "\x00" not in msg.text and "\x00" not in msg.html


def test_it_keeps_the_blank_body_blank():
    assert _sample("django-helpdesk-blank-body-with-attachment.eml").text == ""


def test_it_decodes_attachment_content():
    baf = _sample("django-helpdesk-blank-body-with-attachment.eml").attachments[0]
    assert baf.content == b"You shouldn't see this.\n"
    assert baf.content_type == "text/plain" and not baf.inline
    pdf = _sample("freescout-message-2.eml").attachments[0]
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.inline  # Content-Disposition: inline


def test_it_marks_images_the_html_refers_to_as_inline():
    (image,) = _sample("freescout-message-4-null-bytes.eml").attachments
    assert image.content_id == "image001.png@01DCBC3C.71DC60C0"
    assert image.inline and image.content.startswith(b"\x89PNG")


def test_it_reads_the_koi8_body_and_keeps_the_html():
    msg = _sample("freescout-message-4-null-bytes.eml")
    assert "Мой рабочий стол в анидеск 477 871 76." in msg.text
    assert "cid:image001.png@01DCBC3C.71DC60C0" in msg.html


def test_it_prefers_text_plain_over_html():
    msg = _sample("django-helpdesk-utf-nondecodable.eml")
    assert "prosazuje" not in msg.text  # the HTML part says something else entirely
    assert "prosazuje lepší" in msg.html


def test_it_reads_threading_headers():
    msg = _sample("django-helpdesk-utf-nondecodable.eml")
    assert msg.message_id == "00d73ce5-774a-5ea1-6742-af73ef58c01c@example.cz"
    assert msg.in_reply_to == "CAK0Q_=uQY=3V5iUSgEN16GLtYoJ-6oQu-vYjsgQ=jv6DwOkuLQ@mail.gmail.com"
    assert msg.references == ["CAK0Q_=uQY=3V5iUSgEN16GLtYoJ-6oQu-vYjsgQ=jv6DwOkuLQ@mail.gmail.com"]
    assert not msg.synthetic_id


def test_it_normalizes_references_in_order_without_duplicates():
    raw = (
        b"From: v@vendor.example\r\n"
        b"Message-ID:   <reply-3@vendor.example>  \r\n"
        b"In-Reply-To: Your message of Tue, 3 Mar 2026 <ack-2@desk.example>\r\n"
        b"References: <first@desk.example> <ack-2@desk.example>\r\n <first@desk.example>\r\n"
        b"\r\nThanks\r\n"
    )
    msg = parse_message(raw)
    assert msg.message_id == "reply-3@vendor.example"
    assert msg.in_reply_to == "ack-2@desk.example"
    assert msg.references == ["first@desk.example", "ack-2@desk.example"]


def test_it_accepts_ids_without_angle_brackets():
    msg = parse_message(_mail(Message_ID="bare-id@vendor.example", In_Reply_To="x@desk.example"))
    assert (msg.message_id, msg.in_reply_to) == ("bare-id@vendor.example", "x@desk.example")


def test_a_missing_message_id_gets_a_stable_synthetic_one():
    first = _sample("freescout-message-2.eml")
    again = _sample("freescout-message-2.eml")
    other = _sample("freescout-message-3.eml")
    assert first.synthetic_id and first.message_id == again.message_id
    assert first.message_id != other.message_id
    assert first.message_id.startswith(first.raw_sha256[:40])
    assert "<" not in first.message_id


def test_it_gives_dates_in_utc():
    assert _sample("freescout-message-4-null-bytes.eml").date == datetime(
        2026, 3, 25, 6, 56, 15, tzinfo=UTC
    )
    assert _sample("freescout-message-2.eml").date is None  # the sample has no Date header
    assert parse_message(_mail(Date="yesterday-ish")).date is None
    naive = parse_message(_mail(Date="Tue, 3 Mar 2026 10:00:00 -0000")).date
    assert naive == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_it_lowercases_addresses_and_reads_recipients():
    raw = _mail(
        From="Vera VENDOR <Vera@Vendor.EXAMPLE>",
        To="AP Team <AP@desk.example>, ar@desk.example",
        Cc="boss@vendor.example",
        Reply_To="Payments <payments@vendor.example>",
    )
    msg = parse_message(raw)
    assert (msg.sender_name, msg.sender_email) == ("Vera VENDOR", "vera@vendor.example")
    assert msg.to == ["ap@desk.example", "ar@desk.example"]
    assert msg.cc == ["boss@vendor.example"]
    assert msg.reply_to == "payments@vendor.example" == msg.reply_address


def test_it_survives_raw_8bit_and_malformed_headers():
    raw = (
        b"From: J\xc3\xbcrgen M\xc3\xbcller <j@lieferant.example>\r\n"
        b"To: ap@desk.example, <<broken@@>>, \r\n"
        b"Subject: Gr\xc3\xbc\xc3\x9fe \xff zur Rechnung\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n"
        b"\r\n"
        b"Sch\xc3\xb6ne Gr\xc3\xbc\xc3\x9fe\r\n"
    )
    msg = parse_message(raw)
    assert msg.sender_name == "Jürgen Müller"
    assert msg.subject.startswith("Grüße") and msg.subject.endswith("zur Rechnung")
    assert "ap@desk.example" in msg.to
    assert msg.text == "Schöne Grüße"  # unknown charset: UTF-8 was the right guess


def test_mislabelled_latin1_is_read_as_windows_1252():
    raw = (
        b"From: v@vendor.example\r\nSubject: x\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
        b"\x93Paid\x94 \x80 100\r\n"
    )
    assert parse_message(raw).text == "\u201cPaid\u201d \u20ac 100"


def test_it_turns_html_into_readable_text():
    msg = EmailMessage()
    msg["From"] = "v@vendor.example"
    msg["Subject"] = "HTML only"
    msg.set_content(
        "<html><head><style>p {color: red}</style><title>T</title></head><body>"
        "<script>alert('x')</script><p>Dear AP team,</p><p>please pay <b>invoice 4411</b>."
        "<br>It is <a href='https://portal.vendor.example/inv/4411'>here</a>.</p>"
        "<ul><li>one</li><li>two</li></ul>"
        "<div>Contact <a href='mailto:vera@vendor.example'>vera@vendor.example</a></div>"
        "</body></html>",
        subtype="html",
    )
    text = parse_message(msg.as_bytes()).text
    assert text == (
        "Dear AP team,\n\nplease pay invoice 4411.\n"
        "It is here <https://portal.vendor.example/inv/4411>.\n\n"
        "- one\n- two\n\nContact vera@vendor.example"
    )


def test_a_forwarded_message_is_an_attachment():
    inner = EmailMessage()
    inner["From"] = "supplier@vendor.example"
    inner["Subject"] = "Invoice INV-2026-0042"
    inner.set_content("Please find the invoice attached.")
    outer = EmailMessage()
    outer["From"] = "colleague@ourco.example"
    outer["Subject"] = "Fwd: Invoice INV-2026-0042"
    outer.set_content("Can AP look at this?")
    outer.add_attachment(inner)
    msg = parse_message(outer.as_bytes())
    assert msg.text == "Can AP look at this?"
    (attachment,) = msg.attachments
    assert attachment.filename == "forwarded-message.eml"
    assert attachment.content_type == "message/rfc822"
    assert parse_message(attachment.content).subject == "Invoice INV-2026-0042"


def test_attachment_names_never_carry_a_path():
    msg = EmailMessage()
    msg["From"] = "v@vendor.example"
    msg.set_content("see attached")
    msg.add_attachment(b"x", maintype="application", subtype="pdf", filename="../../etc/passwd")
    msg.add_attachment(b"y", maintype="application", subtype="octet-stream")
    names = [a.filename for a in parse_message(msg.as_bytes()).attachments]
    assert names == ["passwd", "attachment-2"]


def test_it_reads_loop_protection_headers():
    msg = parse_message(
        _mail(
            Auto_Submitted="auto-replied",
            Precedence="bulk",
            X_Loop="ap@desk.example",
            X_Autorespond="yes",
            List_Id="<vendors.lists.example>",
            Return_Path="<>",
        )
    )
    assert (msg.auto_submitted, msg.precedence, msg.x_loop) == (
        "auto-replied",
        "bulk",
        "ap@desk.example",
    )
    assert (msg.x_autoreply, msg.list_id, msg.return_path) == (
        "yes",
        "<vendors.lists.example>",
        "<>",
    )


def test_a_leading_blank_line_or_byte_order_mark_is_forgiven():
    raw = _mail(Subject="Invoice 4411")
    assert parse_message(b"\r\n" + raw).subject == "Invoice 4411"
    assert parse_message(b"\xef\xbb\xbf" + raw).subject == "Invoice 4411"
    assert parse_message(b"\r\n" + raw).raw_sha256 != parse_message(raw).raw_sha256


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n ", "empty"),
        (b"just some text, no headers at all", "no e-mail headers"),
        (b"Note: pay now\nAmount: 12\n", "none of the usual e-mail headers"),
    ],
)
def test_it_refuses_what_is_not_an_email_with_a_reason(raw, reason):
    with pytest.raises(ParseError) as caught:
        parse_message(raw)
    assert reason in caught.value.reason


@settings(max_examples=300, suppress_health_check=QUIET, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_parse_or_raise_parse_error(raw):
    try:
        msg = parse_message(raw)
    except ParseError as exc:
        assert exc.reason
    else:
        assert isinstance(msg, ParsedMessage) and msg.message_id


HEADER_LINES = st.sampled_from(
    [
        b"From: ",
        b"To: ",
        b"Subject: =?utf-8?B?",
        b"Content-Type: multipart/mixed; boundary=",
        b"Content-Type: text/plain; charset=",
        b"Content-Transfer-Encoding: base64",
        b"Content-Disposition: attachment; filename*=",
        b"Date: ",
        b"Message-ID: <",
        b"--",
        b"\r\n",
    ]
)


@settings(max_examples=300, suppress_health_check=QUIET, deadline=None)
@given(st.lists(st.tuples(HEADER_LINES, st.binary(max_size=40)), max_size=25))
def test_mail_shaped_garbage_parses_or_raises_parse_error(pieces):
    raw = b"".join(head + tail + b"\r\n" for head, tail in pieces)
    try:
        parse_message(raw)
    except ParseError as exc:
        assert exc.reason


# --- classify: auto-replies, bounces, loops ------------------------------------------------

OWN = {"ap@desk.example", "AR@desk.example"}


def _classify(raw: bytes) -> Disposition:
    return classify(parse_message(raw), OWN)


def _dsn() -> bytes:
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.vendor.example>"
    report["To"] = "ap@desk.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("The mail system could not deliver your message to vera@vendor.example.")
    status = EmailMessage()
    status.set_content("Reporting-MTA: dns; mx.vendor.example\n\nStatus: 5.1.1\n")
    report.add_attachment(status)
    report.replace_header("Content-Type", report["Content-Type"].replace("mixed", "report"))
    report.set_param("report-type", "delivery-status")
    return report.as_bytes()


def test_a_customer_reply_is_an_ordinary_message():
    verdict = _classify(_mail("Thanks, when will you pay?", Subject="Re: [AP-2026-000123] Payment"))
    assert not (verdict.is_auto_reply or verdict.is_bounce or verdict.is_loop or verdict.from_list)
    assert verdict.may_open_case and verdict.may_auto_reply
    assert verdict.reason == "ordinary message"


def test_auto_submitted_no_is_a_person():
    assert _classify(_mail(Auto_Submitted="no")).may_auto_reply


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Auto_Submitted": "auto-generated; owner-email=x@y.example"}, "auto-generated"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Precedence": "auto_reply"}, "Precedence: auto_reply"),
        ({"X_Autoreply": "yes"}, "X-Autoreply"),
        ({"X_Autorespond": "Vacation"}, "X-Autoreply"),
        ({"Subject": "Automatic reply: [AP-2026-000123] Payment"}, "automatic reply"),
        ({"Subject": "Out of Office: Invoice 4411"}, "automatic reply"),
        ({"Subject": "Abwesenheitsnotiz: Rechnung 4411"}, "automatic reply"),
        ({"Subject": "Réponse automatique : facture"}, "automatic reply"),
        ({"Subject": "Vera Vendor is out of the office."}, "automatic reply"),
    ],
)
def test_auto_replies_never_open_cases(headers, reason):
    verdict = _classify(_mail(**headers))
    assert verdict.is_auto_reply and reason in verdict.reason
    assert not verdict.may_open_case and not verdict.may_auto_reply


def test_a_delivery_status_notification_is_a_bounce():
    verdict = _classify(_dsn())
    assert verdict.is_bounce and not verdict.may_open_case and not verdict.may_auto_reply
    assert "delivery status notification" in verdict.reason
    assert "mailer-daemon@mx.vendor.example" in verdict.reason


@pytest.mark.parametrize(
    "headers",
    [
        {"From": "postmaster@vendor.example"},
        {"Return_Path": "<>"},
        {"Subject": "Undeliverable: Invoice 4411"},
    ],
)
def test_other_bounce_signs(headers):
    verdict = _classify(_mail(**headers))
    assert verdict.is_bounce and not verdict.may_open_case


@pytest.mark.parametrize(
    "headers",
    [
        {"X_Loop": "ap@desk.example"},
        {"X_Loop": "LedgerDesk <AR@Desk.Example>"},
        {"From": "AP Desk <AP@desk.example>"},
    ],
)
def test_our_own_mail_coming_back_is_a_loop(headers):
    verdict = _classify(_mail(**headers))
    assert verdict.is_loop and "mail loop" in verdict.reason
    assert not verdict.may_open_case and not verdict.may_auto_reply


def test_an_x_loop_naming_someone_else_is_no_loop():
    assert not _classify(_mail(X_Loop="helpdesk@vendor.example")).is_loop


@pytest.mark.parametrize("headers", [{"List_Id": "<ap.ourco.example>"}, {"Precedence": "list"}])
def test_list_mail_may_open_a_case_but_gets_no_auto_reply(headers):
    verdict = _classify(_mail(**headers))
    assert verdict.from_list and not verdict.is_auto_reply
    assert verdict.may_open_case and not verdict.may_auto_reply


def test_a_noreply_sender_gets_no_auto_reply():
    verdict = classify(_sample("freescout-message-5-iso-2022-jp.eml"), OWN)
    assert verdict.no_reply_sender and verdict.may_open_case and not verdict.may_auto_reply


def test_a_subject_mentioning_out_of_office_in_a_reply_is_a_person():
    assert not _classify(_mail(Subject="Re: your out of office message")).is_auto_reply


@pytest.mark.parametrize("name", [facts[0] for facts in SAMPLE_FACTS])
def test_no_sample_is_mistaken_for_a_machine(name):
    verdict = classify(_sample(name), OWN)
    assert verdict.may_open_case and not (verdict.is_bounce or verdict.is_loop), verdict.reason


# --- subjects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "reference"),
    [
        ("[AP-2026-000123] Payment status", "AP-2026-000123"),
        ("Re: [AP-2026-000123] Payment status", "AP-2026-000123"),
        ("AW: WG: Re: [ar-2026-000004] Mahnung", "AR-2026-000004"),
        ("Fwd: question about [ AR-2026-000004 ]", "AR-2026-000004"),
        ("RE: payment AP-2026-000123", "AP-2026-000123"),
        ("Re: Invoice 4411", None),
        ("[XY-2026-000123] not ours", None),
        ("[AP-2026-123] too short", None),
        ("AP-2026-0001234567", "AP-2026-0001234567"),
        ("xAP-2026-000123", None),
    ],
)
def test_it_finds_the_case_reference(subject, reference):
    assert find_case_reference(subject) == reference


PREFIXES = st.lists(
    st.sampled_from(["Re:", "RE:", "AW:", "Aw :", "Fwd:", "FW:", "WG:", "TR:", "Re[2]:", "SV:"]),
    max_size=4,
).map(" ".join)
FREE_TEXT = st.text(
    st.characters(blacklist_characters="[]", blacklist_categories=["Cs"]), max_size=30
)


@settings(max_examples=300, suppress_health_check=QUIET)
@given(
    team=st.sampled_from(["AP", "AR", "ap", "Ar"]),
    year=st.integers(2000, 2099),
    number=st.integers(0, 999_999),
    prefixes=PREFIXES,
    before=FREE_TEXT,
    after=FREE_TEXT,
)
def test_any_reference_in_any_subject_is_found(team, year, number, prefixes, before, after):
    reference = f"{team}-{year}-{number:06d}"
    subject = f"{prefixes} {before} [{reference}] {after}"
    assert find_case_reference(subject) == reference.upper()
    assert reference not in clean_subject(subject)


@pytest.mark.parametrize(
    ("subject", "clean"),
    [
        ("Re: [AP-2026-000123] Payment status", "Payment status"),
        ("AW: WG: Rechnung 4411", "Rechnung 4411"),
        ("RE : TR: Facture F2026/123", "Facture F2026/123"),
        ("Re[3]: Fwd: [EXTERNAL] Statement", "Statement"),
        ("[AP-2026-000123] Re: Re: Where is my money?", "Where is my money?"),
        ("Remittance advice", "Remittance advice"),
        ("Return of goods", "Return of goods"),
    ],
)
def test_it_cleans_subjects(subject, clean):
    assert clean_subject(subject) == clean


# --- invoice numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("When will you pay invoice 4411?", ["4411"]),
        ("inv. no. INV-2026-0042 is overdue", ["INV-2026-0042"]),
        ("Rechnung Nr. 12345 vom 01.02.2026", ["12345"]),
        ("Unsere Rechnungsnummer: RE-2026-881", ["RE-2026-881"]),
        ("la facture n° F2026/123 reste impayée", ["F2026/123"]),
        ("Invoice #4411 and invoice number 4412.", ["4411", "4412"]),
        ("invoices 4411, 4412 and 4413 are open", ["4411", "4412", "4413"]),
        ("invoice 4411 and 100 EUR credit", ["4411"]),
        ("INV-2026-0042 again: INV-2026-0042", ["INV-2026-0042"]),
        ("our ref 4411", []),
        ("Invoice date: 12.03.2026", []),
        ("invoice 12.03.2026", []),
        ("the invoice for 1,234.56 EUR", []),
        ("an invoice of 12 items", []),
        ("inventory 4411", []),
        ("invoiced 4411 units", []),
        ("invoice no longer valid", []),
        ("invoice NR000 is open", ["NR000"]),  # a prefix, not "number" (found by hypothesis)
        ("Rechnung Nr.4711", ["4711"]),
    ],
)
def test_it_finds_invoice_numbers_precisely(text, numbers):
    assert find_invoice_numbers(text) == numbers


@settings(max_examples=300, suppress_health_check=QUIET)
@given(
    word=st.sampled_from(
        ["invoice", "Invoice no.", "inv. nr", "Rechnung Nr.", "facture n°", "INVOICE #"]
    ),
    number=st.from_regex(r"([A-Z]{1,3}-?)?[0-9]{3,8}(/[0-9]{1,4})?", fullmatch=True),
    before=st.text(alphabet="abc xyz,.", max_size=20),
)
def test_a_number_after_an_invoice_word_is_found(word, number, before):
    assert number in find_invoice_numbers(f"{before} {word} {number} is open")
