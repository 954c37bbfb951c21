"""IMAP polling: new mail in the desk's mailbox becomes cases, each message once.

One pass: select the folder, fetch the messages whose UID is above the last one handled
(kept per mailbox and UIDVALIDITY in `core.models.SiteState`), give each to `ingest`,
then mark it \\Seen (and move it to the processed folder when one is configured).

Why UIDs and not only UNSEEN: people open the shared mailbox in their own mail program,
and a message someone has read there is still new to the desk. UNSEEN is used only on
first contact with a folder (or when the server renumbered it, a new UIDVALIDITY), so that
years of already-read history are not turned into cases.

Running a pass twice changes nothing: the UID watermark skips what was handled, and if a
pass stopped between storing a message and flagging it, `ingest` recognises the message
the second time (ProcessedMail) and it is only flagged. Messages are fetched with
BODY.PEEK[], so a pass that fails half-way leaves the rest unread for the next one.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledgerdesk.core.models import SiteState
from ledgerdesk.mail.inbound import IngestResult, ingest

log = logging.getLogger(__name__)

__all__ = ["ImapConfig", "ImapError", "PollResult", "connect", "poll"]

BATCH = 10  # messages fetched per round trip; each may carry 25 MB of attachments
TIMEOUT = 30  # seconds for connecting and for every IMAP command
SEEN = rb"\Seen"


class ImapError(Exception):
    """The mailbox cannot be polled: not configured, unreachable, or refused the login."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    user: str
    password: str = field(repr=False)
    port: int = 0  # 0: the standard port, 993 with SSL and 143 without
    ssl: bool = True
    folder: str = "INBOX"
    processed_folder: str = ""

    @classmethod
    def from_settings(cls) -> ImapConfig | None:
        """The configured mailbox, or None when no LEDGERDESK_IMAP_HOST is set."""
        if not settings.LEDGERDESK_IMAP_HOST:
            return None
        if not settings.LEDGERDESK_IMAP_USER:
            raise ImapError("LEDGERDESK_IMAP_USER: set it to the mailbox's login name")
        return cls(
            host=settings.LEDGERDESK_IMAP_HOST,
            user=settings.LEDGERDESK_IMAP_USER,
            password=settings.LEDGERDESK_IMAP_PASSWORD,
            port=settings.LEDGERDESK_IMAP_PORT,
            ssl=settings.LEDGERDESK_IMAP_SSL,
            folder=settings.LEDGERDESK_IMAP_FOLDER or "INBOX",
            processed_folder=settings.LEDGERDESK_IMAP_PROCESSED_FOLDER,
        )

    @property
    def mailbox(self) -> str:
        return f"{self.user}@{self.host}/{self.folder}"

    @property
    def state_key(self) -> str:
        # SiteState keys are 50 characters; a digest keeps every mailbox apart.
        name = f"{self.host}:{self.port}|{self.user}|{self.folder}".lower().encode()
        return f"imap:{hashlib.sha256(name).hexdigest()[:32]}"


@dataclass
class PollResult:
    mailbox: str
    uidvalidity: int = 0
    outcomes: Counter = field(default_factory=Counter)
    error: str = ""

    @property
    def fetched(self) -> int:
        return sum(self.outcomes.values())

    def line(self) -> str:
        plural = {"new_case": "new cases", "duplicate": "duplicates"}
        counts = ", ".join(
            f"{n} {outcome.replace('_', ' ') if n == 1 else plural.get(outcome, outcome)}"
            for outcome, n in self.outcomes.items()
        )
        text = f"{self.mailbox}: {self.fetched} new message(s)" + (f" ({counts})" if counts else "")
        return f"{text}; stopped: {self.error}" if self.error else text


def connect(config: ImapConfig):
    from imapclient import IMAPClient

    try:
        client = IMAPClient(config.host, port=config.port or None, ssl=config.ssl, timeout=TIMEOUT)
    except OSError as exc:
        raise ImapError(f"cannot reach {config.host}: {exc}") from exc
    try:
        client.login(config.user, config.password)
    except Exception as exc:
        _logout(client)
        raise ImapError(f"{config.user}@{config.host} refused the login: {exc}") from exc
    return client


def poll(
    config: ImapConfig | None = None,
    *,
    connector: Callable[[ImapConfig], object] | None = None,
    on_message: Callable[[int, IngestResult], None] | None = None,
) -> PollResult:
    """One pass over the mailbox; `on_message(uid, result)` hears of each message."""
    config = config or ImapConfig.from_settings()
    if config is None:
        raise ImapError("no mailbox configured: set LEDGERDESK_IMAP_HOST and _USER")
    try:
        client = (connector or connect)(config)
    except ImapError as exc:
        _remember(config, 0, None, str(exc))  # so the console can say why no mail comes in
        raise
    try:
        return _pass(client, config, on_message or (lambda uid, result: None))
    except (imaplib.IMAP4.error, OSError) as exc:  # before any message: folder, search
        _remember(config, 0, None, str(exc))
        raise ImapError(f"{config.mailbox}: {exc}") from exc
    finally:
        _logout(client)


def _logout(client) -> None:
    try:
        client.logout()
    except Exception:  # the connection is gone already; nothing is lost by not saying goodbye
        log.debug("IMAP logout failed", exc_info=True)


def _pass(client, config: ImapConfig, on_message) -> PollResult:
    info = client.select_folder(config.folder)
    uidvalidity = int(info[b"UIDVALIDITY"])
    result = PollResult(config.mailbox, uidvalidity)
    state = SiteState.objects.filter(key=config.state_key).first()
    known = state is not None and state.value.get("uidvalidity") == uidvalidity
    if known:
        last = int(state.value.get("last_uid", 0))
        # "N:*" always matches the highest UID, even one below N (RFC 3501, 6.4.8).
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
    else:
        # First contact, or the folder was renumbered: only unread mail is new, and the
        # watermark starts at the top of the folder so that read history stays history.
        uids = sorted(client.search(["UNSEEN"]))
        top = int(info.get(b"UIDNEXT", 0)) - 1
        last = top if top >= 0 else max(client.search(["ALL"]), default=0)
    if config.processed_folder and uids and not client.folder_exists(config.processed_folder):
        client.create_folder(config.processed_folder)

    done: list[int] = []
    try:
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            fetched = client.fetch(batch, ["BODY.PEEK[]"])
            for uid in batch:
                data = fetched.get(uid)
                raw = data.get(b"BODY[]") if data else None
                if raw is not None:  # None: expunged by someone else since the SEARCH
                    origin = f"imap://{config.mailbox};UIDVALIDITY={uidvalidity}/;UID={uid}"
                    outcome = ingest(bytes(raw), origin)
                    result.outcomes[outcome.outcome] += 1
                    on_message(uid, outcome)
                done.append(uid)
            _finish(client, config, done)
            if known:  # on first contact the watermark is only written after a whole pass
                _remember(config, uidvalidity, max(done), "")
            done = []
    except Exception as exc:
        # Stop here. What was stored and flagged is remembered; the rest waits for the next
        # pass (a message stored but not flagged comes again and is recognised then).
        log.exception("IMAP pass over %s stopped", config.mailbox)
        result.error = str(exc) or type(exc).__name__
        try:
            _finish(client, config, done)
        except Exception:
            done = []
        _remember(config, uidvalidity, max(done) if known and done else None, result.error)
        return result
    _remember(config, uidvalidity, max([last, *uids]), "")
    return result


def _finish(client, config: ImapConfig, uids: list[int]) -> None:
    """Mark handled messages \\Seen for the people who read the mailbox, or move them away."""
    if not uids:
        return
    client.add_flags(uids, [SEEN], silent=True)
    if not config.processed_folder:
        return
    if client.has_capability("MOVE"):
        client.move(uids, config.processed_folder)
        return
    client.copy(uids, config.processed_folder)
    client.delete_messages(uids, silent=True)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(uids)  # only ours: another client's \Deleted mail is not ours
    else:
        client.expunge()


def _remember(config: ImapConfig, uidvalidity: int, last_uid: int | None, error: str) -> None:
    """Raise the watermark to `last_uid` (None: leave it) and note how the pass went."""
    with transaction.atomic():
        # Locked so that two passes at once (two workers) can only raise the watermark.
        state, _ = SiteState.objects.select_for_update().get_or_create(
            key=config.state_key, defaults={"value": {}}
        )
        value = dict(state.value)
        if last_uid is not None:
            if value.get("uidvalidity") != uidvalidity:
                value.update(uidvalidity=uidvalidity, last_uid=0)
            value["last_uid"] = max(int(value.get("last_uid", 0)), last_uid)
        value.update(
            mailbox=config.mailbox, polled_at=timezone.now().isoformat(), error=error[:300]
        )
        state.value = value
        state.save()
