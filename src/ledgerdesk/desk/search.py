"""Full-text search over cases and their messages: the one adapter between the desk and the
database's text search, so nothing else depends on PostgreSQL or SQLite.

`search_cases(queryset, text)` narrows any case queryset to the cases where every word of
`text` appears in the case's reference or subject, or in one of its messages (subject or
text). The words may be spread over the case and its messages: "acme 4411" finds the case
whose subject names Acme and whose second e-mail names invoice 4411.

- PostgreSQL: each word is a `plainto_tsquery` against `to_tsvector` computed on the fly
  (the `simple` configuration: the desk reads English, German, French and Dutch mail, and
  stemming for one language would mangle the others). At 2,000 cases a month that is fast
  enough; a stored, GIN-indexed `SearchVectorField` is the step for larger desks.
  `django.contrib.postgres` is not installed for this: `SearchVector` and `SearchQuery`
  work without the app.
- SQLite: a case-insensitive substring match (`icontains`; ASCII case-folding only), with
  the same interface and the same "every word somewhere in the case" meaning. The next step
  is an FTS5 virtual table over case subjects and message texts, kept in step by triggers
  created in a migration; this function is the only place that would change.

References are codes, not words, so both backends match them as substrings ("000123" finds
AP-2026-000123).
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q, QuerySet

from ledgerdesk.desk.models import Case, Message

MAX_WORDS = 8  # a pasted paragraph should not become a 200-way join


def words_of(text: str) -> list[str]:
    """The distinct words of `text`; a lone "-" or "&" is no word and would match everything."""
    words = (word for word in text.split() if any(ch.isalnum() for ch in word))
    return list(dict.fromkeys(words))[:MAX_WORDS]


def search_cases(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` narrowed to the cases matching every word of `text`; none for empty text."""
    words = words_of(text)
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    match = _postgres_word if vendor == "postgresql" else _substring_word
    for word in words:
        queryset = queryset.filter(Q(reference__icontains=word) | match(word))
    return queryset


def _substring_word(word: str) -> Q:
    in_messages = Message.objects.filter(Q(text__icontains=word) | Q(subject__icontains=word))
    return Q(subject__icontains=word) | Q(pk__in=in_messages.values("case_id"))


def _postgres_word(word: str) -> Q:
    # Imported here: the module imports psycopg, which an SQLite installation may lack.
    from django.contrib.postgres.search import SearchQuery, SearchVector

    query = SearchQuery(word, config="simple", search_type="plain")
    in_cases = (
        Case.objects.annotate(document=SearchVector("subject", config="simple"))
        .filter(document=query)
        .values("pk")
    )
    in_messages = (
        Message.objects.annotate(document=SearchVector("subject", "text", config="simple"))
        .filter(document=query)
        .values("case_id")
    )
    return Q(pk__in=in_cases) | Q(pk__in=in_messages)
