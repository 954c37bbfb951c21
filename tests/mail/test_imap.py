"""The IMAP poller: at the protocol boundary with a fake imapclient, then against a real
Dovecot on a loopback port (skipped when Debian's `dovecot-imapd` is not installed)."""

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.core.models import SiteState
from ledgerdesk.desk.models import Case
from ledgerdesk.mail import imap, tasks
from ledgerdesk.mail.models import ProcessedMail

pytestmark = pytest.mark.django_db

SEEN = rb"\Seen"


def inquiry(number: int, subject="When will invoice 4411 be paid?") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Vendor {number} <v{number}@vendor{number}.example>"
    msg["To"] = "ap@hub.example"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<m{number}@vendor{number}.example>"
    msg["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    msg.set_content(f"Hello, this is message {number}.")
    return msg.as_bytes()


class FakeImap:
    """A mailbox on an IMAP server and the slice of imapclient.IMAPClient the poller uses
    (use_uid=True): folders of {uid: [raw, flags]}. `fail_on` makes one command fail."""

    def __init__(self, capabilities=("MOVE", "UIDPLUS")):
        self.uidvalidity, self.next_uid, self.folder, self.fail_on = 1000, 1, None, ""
        self.folders: dict[str, dict[int, list]] = {"INBOX": {}}
        self.capabilities = set(capabilities)
        self.calls: list[str] = []

    def deliver(self, raw: bytes, seen=False) -> int:
        uid, self.next_uid = self.next_uid, self.next_uid + 1
        self.folders["INBOX"][uid] = [raw, {SEEN} if seen else set()]
        return uid

    def renumber(self):
        """The server rebuilt the folder: new UIDVALIDITY, new UIDs, flags lost."""
        self.uidvalidity += 1
        old = [raw for raw, _ in self.folders["INBOX"].values()]
        self.folders["INBOX"] = {n: [raw, set()] for n, raw in enumerate(old, start=1)}
        self.next_uid = len(old) + 1

    def flags(self, uid, folder="INBOX"):
        return self.folders[folder][uid][1]

    def _call(self, name):
        self.calls.append(name)
        if name == self.fail_on:
            raise OSError(f"connection reset during {name}")

    @property
    def messages(self):
        return self.folders[self.folder]

    def select_folder(self, folder):
        self._call("select_folder")
        self.folder = folder
        return {b"UIDVALIDITY": self.uidvalidity, b"UIDNEXT": self.next_uid}

    def search(self, criteria):
        self._call("search")
        uids = sorted(self.messages)
        if criteria == ["UNSEEN"]:
            return [uid for uid in uids if SEEN not in self.messages[uid][1]]
        if criteria == ["ALL"]:
            return uids
        assert criteria[0] == "UID" and criteria[1].endswith(":*"), criteria
        low = int(criteria[1].split(":")[0])
        # RFC 3501: "N:*" includes the highest UID even when it is below N.
        return [uid for uid in uids if uid >= low] or uids[-1:]

    def fetch(self, uids, data):
        self._call("fetch")
        assert data == ["BODY.PEEK[]"]  # PEEK: fetching alone must not mark mail as read
        return {uid: {b"BODY[]": self.messages[uid][0]} for uid in uids if uid in self.messages}

    def add_flags(self, uids, flags, silent=False):
        self._call("add_flags")
        for uid in uids:
            self.messages[uid][1].update(flags)

    def has_capability(self, name):
        return name in self.capabilities

    def folder_exists(self, folder):
        return folder in self.folders

    def create_folder(self, folder):
        self.folders[folder] = {}

    def copy(self, uids, folder):
        self._call("copy")
        target = self.folders[folder]
        for uid in uids:
            target[max(target, default=0) + 1] = [self.messages[uid][0], set(self.flags(uid))]

    def move(self, uids, folder):
        self.copy(uids, folder)
        for uid in uids:
            del self.messages[uid]

    def delete_messages(self, uids, silent=False):
        self.add_flags(uids, [rb"\Deleted"])

    def uid_expunge(self, uids):
        self._call("uid_expunge")
        for uid in [u for u in uids if rb"\Deleted" in self.messages[u][1]]:
            del self.messages[uid]

    def expunge(self):
        self._call("expunge")
        self.uid_expunge(list(self.messages))

    def logout(self):
        self._call("logout")


CONFIG = imap.ImapConfig(host="imap.hub.example", user="ap", password="pw")


@pytest.fixture
def server(ap_team):
    return FakeImap()


def run(server, config=CONFIG, fail_on=""):
    server.fail_on = fail_on
    return imap.poll(config, connector=lambda _: server)


def test_new_mail_becomes_cases_and_is_marked_read(server):
    uids = [server.deliver(inquiry(n)) for n in (1, 2)]
    result = run(server)
    assert result.outcomes == {"new_case": 2} and not result.error
    assert Case.objects.count() == 2
    assert all(SEEN in server.flags(uid) for uid in uids)
    origin = "imap://ap@imap.hub.example/INBOX;UIDVALIDITY=1000/;UID="
    assert ProcessedMail.objects.filter(origin__startswith=origin).count() == 2
    assert server.calls[-1] == "logout"


def test_a_second_pass_changes_nothing(server):
    server.deliver(inquiry(1))
    run(server)
    server.calls.clear()
    result = run(server)
    assert result.fetched == 0 and "fetch" not in server.calls
    assert Case.objects.count() == 1


def test_on_first_contact_read_history_stays_history(server):
    server.deliver(inquiry(1), seen=True)  # read long before the desk existed
    server.deliver(inquiry(2))
    assert run(server).outcomes == {"new_case": 1}
    assert Case.objects.get().requester_email == "v2@vendor2.example"
    state = SiteState.objects.get(key=CONFIG.state_key).value
    assert (state["uidvalidity"], state["last_uid"], state["error"]) == (1000, 2, "")


def test_mail_a_person_opened_before_the_poll_is_still_new_to_the_desk(server):
    run(server)  # first contact with an empty folder
    server.deliver(inquiry(1), seen=True)  # someone read it in Outlook a second later
    assert run(server).outcomes == {"new_case": 1}


def test_a_renumbered_folder_is_not_ingested_twice(server):
    server.deliver(inquiry(1))
    run(server)
    server.renumber()  # every message looks unread and new again
    result = run(server)
    assert result.outcomes == {"duplicate": 1}
    assert Case.objects.count() == 1 and SEEN in server.flags(1)


def test_many_messages_are_fetched_in_batches(server):
    for n in range(imap.BATCH * 2 + 3):
        server.deliver(inquiry(n))
    result = run(server)
    assert result.outcomes["new_case"] == imap.BATCH * 2 + 3
    assert server.calls.count("fetch") == 3


def test_processed_mail_is_moved_to_the_processed_folder(server):
    server.deliver(inquiry(1))
    run(server, imap.ImapConfig("imap.hub.example", "ap", "pw", processed_folder="Done"))
    assert server.folders["INBOX"] == {}
    [(raw, flags)] = server.folders["Done"].values()
    assert raw == inquiry(1) and SEEN in flags


def test_without_move_it_copies_deletes_and_expunges_only_its_own_messages(ap_team):
    server = FakeImap(capabilities=("UIDPLUS",))
    server.deliver(inquiry(1), seen=True)
    server.folders["INBOX"][1][1].add(rb"\Deleted")  # someone else's deletion, not ours
    run(server)  # first contact: the watermark starts above UID 1
    server.deliver(inquiry(2))
    run(server, imap.ImapConfig("imap.hub.example", "ap", "pw", processed_folder="Done"))
    assert list(server.folders["INBOX"]) == [1]  # UID EXPUNGE left theirs alone
    assert len(server.folders["Done"]) == 1 and "expunge" not in server.calls


def test_a_pass_that_fails_after_storing_flags_the_message_next_time(server):
    server.deliver(inquiry(1))
    result = run(server, fail_on="add_flags")
    assert "connection reset" in result.error and result.outcomes == {"new_case": 1}
    assert SEEN not in server.flags(1)
    assert SiteState.objects.get(key=CONFIG.state_key).value["error"]
    again = run(server)
    assert again.outcomes == {"duplicate": 1} and SEEN in server.flags(1)
    assert Case.objects.count() == 1
    assert SiteState.objects.get(key=CONFIG.state_key).value["error"] == ""


def test_a_failure_mid_pass_keeps_what_was_done_and_resumes_after_it(server, monkeypatch):
    run(server)  # the folder is known
    for n in (1, 2, 3):
        server.deliver(inquiry(n))
    real_ingest = imap.ingest

    def ingest_failing_on_2(raw, origin):
        if b"m2@" in raw:
            raise RuntimeError("database is away")
        return real_ingest(raw, origin)

    monkeypatch.setattr(imap, "ingest", ingest_failing_on_2)
    result = run(server)
    assert result.error == "database is away" and result.outcomes == {"new_case": 1}
    assert SEEN in server.flags(1) and SEEN not in server.flags(2)
    assert SiteState.objects.get(key=CONFIG.state_key).value["last_uid"] == 1
    monkeypatch.undo()
    assert run(server).outcomes == {"new_case": 2}
    assert Case.objects.count() == 3


def test_a_folder_that_cannot_be_opened_is_a_clear_error(server):
    config = imap.ImapConfig("imap.hub.example", "ap", "pw", folder="Nope")
    with pytest.raises(imap.ImapError, match="ap@imap.hub.example/Nope"):
        run(server, config, fail_on="select_folder")


def test_a_refused_login_is_remembered_for_the_console(server):
    def refuse(config):
        raise imap.ImapError("ap@imap.hub.example refused the login: bad password")

    with pytest.raises(imap.ImapError):
        imap.poll(CONFIG, connector=refuse)
    assert "bad password" in SiteState.objects.get(key=CONFIG.state_key).value["error"]


@pytest.fixture
def configured(settings):
    settings.LEDGERDESK_IMAP_HOST = "imap.hub.example"
    settings.LEDGERDESK_IMAP_USER = "ap"
    settings.LEDGERDESK_IMAP_PASSWORD = "pw"
    return settings


def test_the_periodic_task_does_nothing_without_a_mailbox(settings, monkeypatch):
    settings.LEDGERDESK_IMAP_HOST = ""
    monkeypatch.setattr(imap, "connect", lambda config: pytest.fail("must not connect"))
    tasks.poll_mailbox.call_local()


def test_the_periodic_task_polls_the_configured_mailbox(server, configured, monkeypatch):
    server.deliver(inquiry(1))
    monkeypatch.setattr(imap, "connect", lambda config: server)
    tasks.poll_mailbox.call_local()
    assert Case.objects.count() == 1


def test_the_command_prints_each_message_and_a_summary(server, configured, monkeypatch, capsys):
    server.deliver(inquiry(1))
    server.deliver(inquiry(1))  # the same message delivered twice
    monkeypatch.setattr(imap, "connect", lambda config: server)
    call_command("poll_mail")
    case = Case.objects.get()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"UID 1: new case {case.reference}",
        f"UID 2: duplicate of a message on {case.reference}",
        "ap@imap.hub.example/INBOX: 2 new message(s) (1 new case, 1 duplicate)",
    ]


def test_the_command_says_what_to_configure(settings):
    settings.LEDGERDESK_IMAP_HOST = ""
    with pytest.raises(CommandError, match="LEDGERDESK_IMAP_HOST"):
        call_command("poll_mail")


def test_settings_without_a_user_are_refused(configured):
    configured.LEDGERDESK_IMAP_USER = ""
    with pytest.raises(imap.ImapError, match="LEDGERDESK_IMAP_USER"):
        imap.ImapConfig.from_settings()


# --- a real IMAP server ----------------------------------------------------------------------

DOVECOT = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")


# Rootless Dovecot (no chroot for login and anvil), plaintext login on loopback only.
DOVECOT_CONF = """protocols = imap
listen = 127.0.0.1
base_dir = {home}/run
state_dir = {home}/state
instance_name = ledgerdesk-test-{port}
log_path = {home}/dovecot.log
ssl = no
disable_plaintext_auth = no
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {home}/passwd
}}
userdb {{
  driver = passwd-file
  args = {home}/passwd
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dovecot():
    """A throwaway Dovecot on a loopback port: an unprivileged user, plaintext login for
    user "desk" with password "secret", maildir in a temporary folder."""
    # As root, Dovecot would only drop to its own users: run it as nobody instead.
    run_as = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.getuid())
    group = grp.getgrgid(run_as.pw_gid).gr_name
    home = Path(tempfile.mkdtemp(prefix="ld-dovecot-"))
    port = _free_port()
    (home / "passwd").write_text(
        f"desk:{{PLAIN}}secret:{run_as.pw_uid}:{run_as.pw_gid}::{home}/desk::\n"
    )
    (home / "dovecot.conf").write_text(
        DOVECOT_CONF.format(home=home, port=port, user=run_as.pw_name, group=group)
    )
    for sub in ("run", "state", "desk"):
        (home / sub).mkdir()
    for path in [home, *home.rglob("*")]:
        os.chown(path, run_as.pw_uid, run_as.pw_gid)
    as_user = {"user": run_as.pw_uid, "group": run_as.pw_gid} if os.geteuid() == 0 else {}
    server = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(home / "dovecot.conf")],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        start_new_session=True,
        **as_user,
    )
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            assert server.poll() is None, (home / "dovecot.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "Dovecot did not listen within 10 s"
            time.sleep(0.05)
        yield imap.ImapConfig("127.0.0.1", "desk", "secret", port=port, ssl=False)
        log = (home / "dovecot.log").read_text(errors="replace")
        assert "Fatal" not in log and "Error" not in log, log  # a slow, half-broken server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.skipif(DOVECOT is None, reason="needs Debian's dovecot-imapd")
def test_a_real_dovecot_mailbox_is_polled_once_and_moved(ap_team, dovecot):
    from dataclasses import replace

    config = replace(dovecot, processed_folder="Processed")
    client = imap.connect(config)
    client.append("INBOX", inquiry(1), flags=[SEEN])  # history, read before the desk
    client.append("INBOX", inquiry(2))

    first = imap.poll(config)
    assert first.outcomes == {"new_case": 1} and not first.error
    assert Case.objects.get().requester_email == "v2@vendor2.example"
    client.select_folder("INBOX")
    assert len(client.search(["ALL"])) == 1  # the read history stays in the inbox
    client.select_folder("Processed")
    [(uid, data)] = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[]"]).items()
    assert SEEN in data[b"FLAGS"] and b"<m2@vendor2.example>" in data[b"BODY[]"]

    assert imap.poll(config).fetched == 0  # a second pass changes nothing

    client.append("INBOX", inquiry(3), flags=[SEEN])  # opened by a person before the poll
    assert imap.poll(config).outcomes == {"new_case": 1}
    client.logout()
    assert Case.objects.count() == 2
