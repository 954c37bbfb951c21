"""Raw messages from files: one .eml, an mbox, a maildir, or a directory of .eml files.

Only reads bytes and says where each message came from; parsing is `parsing.parse_message`.
Nothing is skipped for being odd: an empty or broken file still comes out as a raw
message, so the caller can quarantine it with a reason instead of losing it.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RawMessage", "read_messages"]

# An mbox starts with the envelope line "From <sender> <date>"; an .eml starts with headers
# ("From:" has a colon, the envelope line does not).
_MBOX_START = re.compile(rb"^From \S")
# mboxrd escapes every body line that looks like ">*From " with one more ">"; undoing one
# level restores the "From " lines that the plain mbox writers (the stdlib included) mangle.
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)


@dataclass(frozen=True)
class RawMessage:
    origin: str  # where a person finds it again: "inbox.mbox#3", "Maildir/cur/123:2,S"
    raw: bytes = field(repr=False)


def read_messages(path: str | Path) -> Iterator[RawMessage]:
    """Yield every message under `path`, in a stable order.

    Raises ValueError naming the path when it is neither a message file, an mbox, a
    maildir (a directory with cur/ or new/) nor a directory holding .eml files.
    """
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() in (".mbox", ".mbx") and path.stat().st_size == 0:
            return  # an empty mailbox holds no messages; an empty .eml is a broken message
        yield from (_read_mbox(path) if _looks_like_mbox(path) else _read_eml(path, path.name))
    elif path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir()):
        yield from _read_maildir(path)
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".eml")
        if not files:
            raise ValueError(f"{path}: a directory without .eml files, and not a maildir")
        for file in files:
            yield from _read_eml(file, f"{path.name}/{file.name}")
    else:
        raise ValueError(f"{path}: no such file or directory")


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return bool(_MBOX_START.match(handle.read(1024).lstrip(b"\r\n")))


def _read_eml(path: Path, origin: str) -> Iterator[RawMessage]:
    yield RawMessage(origin=origin, raw=path.read_bytes())


def _read_mbox(path: Path) -> Iterator[RawMessage]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        # mailbox.mbox numbers messages in file order; the origin counts from 1 like a person.
        for number, key in enumerate(sorted(box.keys()), start=1):
            raw = _ESCAPED_FROM.sub(rb"\1", box.get_bytes(key))
            yield RawMessage(origin=f"{path.name}#{number}", raw=raw)
    finally:
        box.close()


def _read_maildir(path: Path) -> Iterator[RawMessage]:
    # tmp/ holds messages still being delivered: reading them could catch half a message.
    for sub in ("new", "cur"):
        folder = path / sub
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                yield RawMessage(origin=f"{path.name}/{sub}/{file.name}", raw=file.read_bytes())
