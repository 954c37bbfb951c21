"""Typed readers for configuration from environment variables.

Every setting LedgerDesk reads comes through these helpers, so the README's
list of variables and the code cannot drift apart silently: a bad value stops
start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(Exception):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def string(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def boolean(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}: expected one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None


def csv_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser() if raw else default


def secret(name: str, keep_in: Path) -> str:
    """Read a secret from the environment, or from a file generated once.

    The embedded set-up needs a stable secret key without anyone writing one
    into the repository: on first start a random key is written next to the
    database (0600) and reused afterwards.
    """
    raw = os.environ.get(name)
    if raw:
        return raw
    if keep_in.exists():
        return keep_in.read_text().strip()
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    try:
        fd = os.open(keep_in, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # the web server and the worker started together
        return keep_in.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
