"""`python -m ledgerdesk.coach [--context CONTEXT.json] [--json] FILE|-`."""

import sys

from .cli import main

sys.exit(main())
