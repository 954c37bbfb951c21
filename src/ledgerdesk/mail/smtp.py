"""The SMTP listener: mail delivered straight to the desk, acknowledged only once it is stored.

aiosmtpd speaks SMTP on an asyncio loop in a thread of its own. The Django ORM is
synchronous and must not run on that loop, so every database call goes through
`sync_to_async(..., thread_sensitive=True)`: one worker thread runs them all, one message at
a time. That keeps SQLite to a single writer, lets the duplicate check in `ingest` see the
previous message committed, and keeps one database connection instead of one per sender.

The sender hears "250" only after `ingest` has returned, when the message is on a case,
ignored with a reason, or kept in the quarantine; a message is never lost by being
answered too early. An unexpected failure (the database is away) answers "451", so the
sending server keeps the message and tries again; the second delivery is recognised as a
duplicate if the first was stored after all.

The listener takes mail only for our own addresses (every team's desk address and
`LEDGERDESK_SMTP_RECIPIENTS`) and answers "550" to anything else: it never relays.
"""

from __future__ import annotations

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from ledgerdesk.desk.models import Team
from ledgerdesk.mail.inbound import IngestResult, ingest

log = logging.getLogger(__name__)

__all__ = ["DeskHandler", "accepts", "listener"]


def accepts(address: str) -> bool:
    """Whether mail for `address` is ours to take: a team's address, or a configured
    address or domain ("ap@hub.example", "@hub.example")."""
    address = address.strip().strip("<>").lower()
    if not address or "@" not in address:
        return False
    wanted = {email.strip().lower() for email in Team.objects.values_list("email", flat=True)}
    domains = set()
    for item in settings.LEDGERDESK_SMTP_RECIPIENTS:
        item = item.strip().lower()
        if "@" in item.lstrip("@"):
            wanted.add(item)
        elif item:
            domains.add(item.lstrip("@"))
    return address in wanted or address.rpartition("@")[2] in domains


def with_null_sender(raw: bytes, mail_from: str | None) -> bytes:
    """Record an empty envelope sender the way a mailbox would (RFC 5321, 4.4).

    Bounces and delivery reports travel with the null sender `<>`; a final delivery writes
    it as `Return-Path: <>`, and the loop protection in `parsing.classify` looks for exactly
    that. Other messages are stored byte for byte as sent: a Return-Path carries nothing
    more that the desk uses, and unchanged bytes keep duplicate detection exact.
    """
    if (mail_from or "").strip().strip("<>"):
        return raw
    return b"Return-Path: <>\r\n" + raw


def _in_worker(function, *args):
    """Run `function` the way Django runs a request: stale connections are closed before and
    after, so a database restart costs one retried message and not a stuck listener."""
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


def _peer_host(peer) -> str:
    return str(peer[0]) if isinstance(peer, tuple | list) and peer else str(peer or "unknown")


class DeskHandler:
    """aiosmtpd handler: refuses strangers' recipients, stores each message through `ingest`."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes or settings.LEDGERDESK_SMTP_MAX_BYTES

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        try:
            ours = await sync_to_async(_in_worker, thread_sensitive=True)(accepts, address)
        except Exception:
            log.exception("could not check recipient %s", address)
            return "451 4.3.0 Cannot check the recipient just now; please try again later"
        if not ours:
            log.info("refused recipient %s from %s", address, _peer_host(session.peer))
            return f"550 5.7.1 <{address}>: no such mailbox here, and this server does not relay"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):  # only when a server was built with decode_data=True
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            return f"552 5.3.4 The message is larger than this desk accepts ({limit} MB)"
        peer = _peer_host(session.peer)
        raw = with_null_sender(raw, envelope.mail_from)
        try:
            result: IngestResult = await sync_to_async(_in_worker, thread_sensitive=True)(
                ingest, raw, f"smtp:{peer}"
            )
        except Exception:
            log.exception("could not store a message from %s", peer)
            return "451 4.3.0 The message could not be stored; please try again later"
        log.info(
            "smtp:%s %s %s %s",
            peer,
            result.outcome,
            result.case.reference if result.case else "-",
            result.reason,
        )
        return "250 2.0.0 Message accepted"


def listener(host: str | None = None, port: int | None = None, handler=None) -> Controller:
    """An aiosmtpd controller for the desk; `.start()` serves in a background thread."""
    max_bytes = settings.LEDGERDESK_SMTP_MAX_BYTES
    return Controller(
        handler or DeskHandler(max_bytes),
        hostname=host or settings.LEDGERDESK_SMTP_HOST,
        port=port or settings.LEDGERDESK_SMTP_PORT,
        # aiosmtpd advertises SIZE in EHLO and answers 552 once the data passes it,
        # discarding the excess instead of holding it in memory.
        data_size_limit=max_bytes,
        enable_SMTPUTF8=True,
        ident="LedgerDesk",
    )
