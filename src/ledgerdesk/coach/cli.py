"""`coach [--context CONTEXT.json] [--json] FILE|-`: review a reply from the shell.

`main(argv)` returns the exit code instead of exiting, so `ledgerdesk coach`
and tests can call it directly: 0 when the review ran, 2 for bad input (an
unreadable file, context that is not JSON or not of the documented shape, a
broken rule file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .context import ContextError
from .engine import review
from .model import Review
from .ruleset import RuleError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="Review a draft reply: tone, clarity, accuracy against the case's invoices.",
    )
    parser.add_argument("file", metavar="FILE|-", help="the reply text, or - for standard input")
    parser.add_argument("--context", metavar="CONTEXT.json", help="what the case knows, as JSON")
    parser.add_argument("--rules", metavar="PATH", action="append", default=[],
                        help="a team override directory or file (repeatable)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print Review.to_dict() as JSON")
    return parser


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, as editors show them."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def render(text: str, result: Review) -> str:
    lines = []
    for f in result.findings:
        line, column = line_col(text, f.start)
        excerpt = text[f.start : f.end].replace("\n", " ")
        if len(excerpt) > 60:
            excerpt = excerpt[:57] + "..."
        lines.append(f"{line}:{column}  {f.severity:<10} {f.rule}  [{f.category}]")
        lines.append(f'    "{excerpt}"')
        lines.append(f"    {f.message}")
        if f.suggestion:
            lines.append(f"    suggestion: {f.suggestion}")
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    lines.append(f"score {result.score}/100, {count} {noun}")
    return "\n".join(lines)


def _read_text(name: str, stdin: TextIO) -> str:
    if name == "-":
        return stdin.read()
    with open(name, encoding="utf-8") as handle:
        return handle.read()


def _read_context(name: str) -> dict:
    try:
        with open(name, encoding="utf-8") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ContextError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ContextError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} "
                           f"column {exc.colno}") from None  # fmt: skip
    if not isinstance(data, dict):
        raise ContextError(f"{name}: the context must be a JSON object, got {type(data).__name__}")
    return data


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT
    try:
        text = _read_text(args.file, stdin)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"coach: {args.file}: cannot be read ({exc})", file=stderr)
        return EXIT_BAD_INPUT
    try:
        context = _read_context(args.context) if args.context else None
        result = review(text, context, rules=args.rules or None)
    except (ContextError, RuleError) as exc:
        print(f"coach: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), file=stdout)
    else:
        print(render(text, result), file=stdout)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
