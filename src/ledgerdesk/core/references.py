"""Human references for cases and other records: `AP-2026-000123`.

Numbers come from a counter row per prefix and year, locked while it is
incremented, so two web processes opening cases at the same moment never hand
out the same reference (PostgreSQL: SELECT … FOR UPDATE; SQLite: the
IMMEDIATE transaction already serialises writers).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk.core.models import ReferenceCounter

PATTERN = re.compile(r"\b([A-Z]{2,4})-(\d{4})-(\d{6})\b")


def next_reference(prefix: str, when=None) -> str:
    year = (when or timezone.now()).year
    with transaction.atomic():
        counter = ReferenceCounter.objects.select_for_update().filter(prefix=prefix, year=year)
        row = counter.first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ReferenceCounter.objects.create(prefix=prefix, year=year)
            except IntegrityError:  # another process created it first
                row = counter.get()
        row.last += 1
        row.save(update_fields=["last"])
    return f"{prefix}-{year}-{row.last:06d}"
