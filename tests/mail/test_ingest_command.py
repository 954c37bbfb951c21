"""`ledgerdesk ingest-mail PATH...`: .eml files, folders of them, mbox files and maildirs."""

import io
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.desk.models import Case, Message
from ledgerdesk.mail.management.commands import ingest_mail
from ledgerdesk.mail.models import QuarantinedMail

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"


def _mail(number: int, subject="Invoice 4411 unpaid", **headers) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Vera Vendor <vera@vendor.example>"
    msg["To"] = "ap@hub.example"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<m{number}@vendor.example>"
    msg["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(f"Message {number}")
    return msg


def _ingest(*paths, verbosity=1) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_mail", *map(str, paths), stdout=out, stderr=err, verbosity=verbosity)
    return out.getvalue().splitlines(), err.getvalue()


def test_it_reports_what_became_of_every_message(ap_team, tmp_path):
    files = {
        "1-inquiry.eml": _mail(1).as_bytes(),
        "2-follow-up.eml": _mail(2, "Re: Invoice 4411", In_Reply_To="<m1@vendor.example>"),
        "3-away.eml": _mail(3, "I am away", Auto_Submitted="auto-replied"),
        "4-broken.eml": b"\x00\x01 not an e-mail",
        "5-again.eml": _mail(1).as_bytes(),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(bytes(content))
    lines, _ = _ingest(*sorted(tmp_path.iterdir()))
    case = Case.objects.get()
    assert lines[:4] == [
        f"1-inquiry.eml: new case {case.reference}",
        f"2-follow-up.eml: threaded to {case.reference}",
        "3-away.eml: ignored: auto-reply: Auto-Submitted: auto-replied",
        "4-broken.eml: quarantined: no e-mail headers found: the data does not start "
        "with header lines",
    ]
    assert lines[4] == f"5-again.eml: duplicate of a message on {case.reference}"
    assert lines[5] == (
        "Summary: 5 messages: 1 new case, 1 threaded, 1 ignored, 1 quarantined, 1 duplicate"
    )
    assert QuarantinedMail.objects.count() == 1


def test_it_reads_an_mbox_a_maildir_and_a_folder_of_eml(ap_team, tmp_path):
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(_mail(1))
    box.add(_mail(2))
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(_mail(3))
    maildir.close()
    lines, _ = _ingest(tmp_path / "inbox.mbox", tmp_path / "Maildir", SAMPLES)
    assert lines[0].startswith("inbox.mbox#1: new case AP-")
    assert lines[1].startswith("inbox.mbox#2: new case AP-")
    assert lines[2].startswith("Maildir/new/") and ": new case AP-" in lines[2]
    assert lines[3].startswith("emails/django-helpdesk-all-special-chars.eml: new case")
    assert lines[-1].startswith("Summary: 17 messages: ")
    assert "quarantined" not in "\n".join(lines[:-1])


def test_ingesting_again_stores_nothing_new(ap_team):
    _ingest(SAMPLES)
    before = (Case.objects.count(), Message.objects.count())
    lines, _ = _ingest(SAMPLES)
    assert (Case.objects.count(), Message.objects.count()) == before
    assert lines[-1] == (
        "Summary: 14 messages: 0 new cases, 0 threaded, 0 ignored, 0 quarantined, 14 duplicates"
    )


def test_an_unreadable_path_fails_the_command_after_the_others_are_ingested(ap_team, tmp_path):
    good = tmp_path / "good.eml"
    good.write_bytes(_mail(1).as_bytes())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"missing\.mbox: no such file or directory"):
        call_command(
            "ingest_mail", str(tmp_path / "missing.mbox"), str(good), stdout=out, stderr=err
        )
    assert Case.objects.count() == 1
    assert "UNREADABLE" in err.getvalue() and "missing.mbox" in err.getvalue()
    assert "1 unreadable path(s)" in out.getvalue()


def test_a_folder_without_mail_is_unreadable(ap_team, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="a directory without .eml files"):
        _ingest(tmp_path)


def test_verbosity_0_prints_only_the_summary(ap_team):
    lines, _ = _ingest(SAMPLES / "freescout-message-1.eml", verbosity=0)
    assert lines == [
        "Summary: 1 message: 1 new case, 0 threaded, 0 ignored, 0 quarantined, 0 duplicates"
    ]


def test_many_messages_show_a_progress_bar_on_stderr(ap_team, monkeypatch):
    real_bar = ingest_mail.bar
    monkeypatch.setattr(
        ingest_mail, "bar", lambda total, desc, stream, unit: real_bar(total, desc, stream, unit, 1)
    )
    lines, err = _ingest(SAMPLES)
    assert "ingest-mail:" in err and "/14" in err  # the bar, sized to the job
    assert len(lines) == 15  # every outcome still printed, on stdout
