"""Reading raw messages from .eml files, mbox files and maildirs."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from ledgerdesk.mail.parsing import parse_message
from ledgerdesk.mail.sources import RawMessage, read_messages

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"


def _mail(subject: str, body: str = "Hello") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Vera Vendor <vera@vendor.example>"
    msg["To"] = "ap@desk.example"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{subject.replace(' ', '-')}@vendor.example>"
    msg.set_content(body)
    return msg


def _subjects(messages: list[RawMessage]) -> list[str]:
    return [parse_message(m.raw).subject for m in messages]


def test_it_reads_a_single_eml_file_unchanged():
    path = SAMPLES / "freescout-message-4-null-bytes.eml"
    (message,) = read_messages(path)
    assert message.origin == "freescout-message-4-null-bytes.eml"
    assert message.raw == path.read_bytes()


def test_it_reads_a_directory_of_eml_files_in_name_order():
    messages = list(read_messages(SAMPLES))
    assert len(messages) == 14
    assert messages[0].origin == "emails/django-helpdesk-all-special-chars.eml"
    assert [m.origin for m in messages] == sorted(m.origin for m in messages)


def test_it_reads_an_mbox(tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    for subject in ("Invoice 4411", "Invoice 4412", "Invoice 4413"):
        box.add(_mail(subject))
    box.flush()
    box.close()
    messages = list(read_messages(path))
    assert [m.origin for m in messages] == ["inbox.mbox#1", "inbox.mbox#2", "inbox.mbox#3"]
    assert _subjects(messages) == ["Invoice 4411", "Invoice 4412", "Invoice 4413"]
    assert not messages[0].raw.startswith(b"From ")  # the envelope line is not the message


def test_it_undoes_the_from_escaping_of_mbox(tmp_path):
    path = tmp_path / "escaped.mbox"
    box = mailbox.mbox(path)
    box.add(_mail("Escaping", "Our payment run:\nFrom the 3rd of March on, we pay weekly.\n"))
    box.flush()
    box.close()
    assert b"\n>From the 3rd" in path.read_bytes()  # how mbox stores it
    (message,) = read_messages(path)
    assert "\nFrom the 3rd of March on" in parse_message(message.raw).text


def test_an_mbox_is_recognised_by_content_whatever_its_name(tmp_path):
    path = tmp_path / "export.txt"
    box = mailbox.mbox(path)
    box.add(_mail("One"))
    box.add(_mail("Two"))
    box.flush()
    box.close()
    assert _subjects(list(read_messages(path))) == ["One", "Two"]


def test_an_empty_mbox_holds_no_messages(tmp_path):
    path = tmp_path / "empty.mbox"
    path.write_bytes(b"")
    assert list(read_messages(path)) == []


def test_an_empty_eml_still_comes_out_for_the_quarantine(tmp_path):
    path = tmp_path / "broken.eml"
    path.write_bytes(b"")
    assert list(read_messages(path)) == [RawMessage(origin="broken.eml", raw=b"")]


def test_it_reads_a_maildir_new_and_cur_but_not_tmp(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir")
    unread = box.add(_mail("Unread"))
    read_key = box.add(mailbox.MaildirMessage(_mail("Read")))
    message = box[read_key]
    message.set_subdir("cur")
    message.add_flag("S")
    box[read_key] = message
    (tmp_path / "Maildir" / "tmp" / "123.half").write_bytes(b"From: half")
    box.close()
    messages = list(read_messages(tmp_path / "Maildir"))
    assert _subjects(messages) == ["Unread", "Read"]
    assert messages[0].origin == f"Maildir/new/{unread}"
    assert messages[1].origin.startswith("Maildir/cur/") and messages[1].origin.endswith(":2,S")


@pytest.mark.parametrize("make", ["missing", "empty-dir", "other-files"])
def test_it_names_the_path_it_cannot_read(tmp_path, make):
    path = tmp_path / make
    if make != "missing":
        path.mkdir()
    if make == "other-files":
        (path / "notes.txt").write_text("not mail")
    with pytest.raises(ValueError, match=str(path)):
        list(read_messages(path))
