"""The `ledgerdesk` command: Django's management commands under one name.

`ledgerdesk import-invoices` and `ledgerdesk import_invoices` are the same
command; the hyphenated spelling is the documented one.
"""

import os
import sys


def command_argv(argv: list[str]) -> list[str]:
    """Django's argv for ours: `import-invoices` names the `import_invoices` command."""
    argv = ["ledgerdesk", *argv[1:]]
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_argv(list(sys.argv if argv is None else argv)))


if __name__ == "__main__":
    main()
