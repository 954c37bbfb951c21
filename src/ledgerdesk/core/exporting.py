"""Streaming CSV and JSON writers for `ledgerdesk export`, so finance staff can take
the data to a spreadsheet. Rows are plain dicts; amounts stay Decimal until
written as text, never floats."""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable
from decimal import Decimal


def _plain(value):
    if isinstance(value, list):
        # A list of records (a case's messages) becomes readable text in one cell.
        return "\n\n".join(_cell(item) for item in value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def _cell(item) -> str:
    if isinstance(item, dict):
        return "\n".join(f"{key}: {_plain(val)}" for key, val in item.items())
    return str(_plain(item))


def write_csv(stream, columns: list[str], rows: Iterable[dict]) -> int:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: _plain(value) for key, value in row.items()})
        count += 1
    return count


def write_json(stream, rows: Iterable[dict]) -> int:
    """A JSON array written row by row, so a million rows never sit in memory."""

    def default(value):
        if isinstance(value, Decimal):
            return str(value)  # exact; a float would lose cents
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    stream.write("[")
    count = 0
    for row in rows:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(row, default=default, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count
