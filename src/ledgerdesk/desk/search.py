"""Full-text search over cases and their messages: the one adapter between the desk and the
database's text search, so nothing else depends on PostgreSQL or SQLite.

`search_cases(queryset, text)` narrows any case queryset to the cases where every word of
`text` appears in the case's reference or subject, or in one of its messages (subject or
text). The words may be spread over the case and its messages: "bank 4411" finds the case
whose subject says "bank details" and whose second e-mail names invoice 4411. Each word also
matches as a prefix ("remit" finds "remittance"), letter case and accents do not matter
("cafe" finds "Café", "gutschrift" finds "Gutschrift"), and punctuation separates words on
both databases alike ("4411" finds "4411.50", "000123" finds "AP-2026-000123").

The user's text is never handed to the database as query syntax: it is cut into words and
each word into letter-and-digit tokens, which go in quoted (FTS5) or as plain lexemes
(tsquery). `"`, `OR`, `NEAR(`, `*`, `-`, `:` and friends are just characters.

- SQLite: an FTS5 table `desk_case_fts`, one row per case (rowid = case id) with two
  columns, the case's subject and the subjects and texts of all its messages, tokenized by
  `unicode61 remove_diacritics 2`. Triggers on desk_case and desk_message (created by
  migration 0003) keep it in step on every write path, including bulk_create and
  queryset.update(). Each word is one `MATCH '"tok1 tok2"*'` (a phrase, its last token a
  prefix); ranking uses bm25 with the subject weighted above the messages.
- PostgreSQL: each word is a `to_tsquery('simple', 'tok1' <-> 'tok2':*)` matched against
  `desk_search_document(…)` of the case subject and of each message, behind GIN indexes on
  exactly those expressions (migration 0003 creates the function and the indexes). It is
  `to_tsvector('simple', …)` of the text decomposed (`normalize(…, NFD)`), without its
  combining accents and with its punctuation turned into spaces, so PostgreSQL cuts words
  where SQLite's unicode61 does: its own parser would keep "4411.50" and "v@x.example" whole
  and read "-000123" as a signed number. The `simple` configuration, because the desk reads
  English, German, French and Dutch mail and one language's stemmer would mangle the others.
  The query tokens are folded the same way, in Python.

References are codes, not words, so each word also matches as a substring of the reference
on both databases ("6-0001" finds AP-2026-000123).

If a migration ever makes Django rebuild desk_case or desk_message on SQLite (it does so for
many ALTERs), the triggers go with the old table: that migration must create them again.
`tests/desk/test_search.py` checks that they exist after all migrations.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connections
from django.db.models import Case as SqlCase
from django.db.models import FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

MAX_WORDS = 8  # a pasted paragraph should not become a 200-way join

FTS_TABLE = "desk_case_fts"
# bm25 column weights: a word in the case's subject counts more than one in its messages.
SUBJECT_WEIGHT, MESSAGES_WEIGHT = 4.0, 1.0
TOKEN = re.compile(r"[^\W_]+")  # letters and digits of any script


# The PostgreSQL documents: `desk_search_document(text)`, created by migration 0003, is
# to_tsvector('simple', …) of the text decomposed (NFD), without its combining accents and
# with its punctuation turned into spaces. A PL/pgSQL function declared expensive (COST),
# so that the planner reads a common word from the GIN index rather than computing the
# documents of every message (0.9 s for "invoice" over 60,000 messages with the expression
# written out: PostgreSQL prices it like a cheap operator).
PG_CASE_DOCUMENT = "desk_search_document(subject)"
PG_MESSAGE_DOCUMENT = "desk_search_document(subject || ' ' || text)"


def words_of(text: str) -> list[str]:
    """The distinct words of `text`; a lone "-" or "&" is no word and would match everything.

    Control and other unprintable characters separate words: PostgreSQL refuses a NUL in a
    query parameter, and a zero-width space is no part of a word.
    """
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    words = (word for word in text.split() if any(ch.isalnum() for ch in word))
    return list(dict.fromkeys(words))[:MAX_WORDS]


def tokens_of(word: str, *, fold: bool = False) -> list[str]:
    """The letter-and-digit runs of `word`; with `fold`, accents removed first, as the
    PostgreSQL documents have them (FTS5 folds the query itself)."""
    if fold:
        word = "".join(
            ch for ch in unicodedata.normalize("NFD", word) if not "\u0300" <= ch <= "\u036f"
        )
    return TOKEN.findall(word)


def fts5_phrase(tokens: list[str]) -> str:
    """An FTS5 query for a phrase of `tokens`, its last one a prefix: `"ap 2026 0001"*`.

    The tokens are letters and digits only, and inside double quotes FTS5 reads no syntax
    at all, so no user text can become an operator.
    """
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"*'


def tsquery_phrase(tokens: list[str]) -> str:
    """A to_tsquery() string for a phrase of `tokens`, its last one a prefix."""
    quoted = [f"'{t}'" for t in tokens if "'" not in t and "\\" not in t]
    return " <-> ".join(quoted) + ":*" if quoted else ""


def search_cases(queryset: QuerySet, text: str, *, ranked: bool = False) -> QuerySet:
    """`queryset` narrowed to the cases matching every word of `text`; none for empty text.

    `ranked=True` also annotates `search_rank` (higher is better: a reference typed in full
    first, then the text-search rank) and orders by it, newest first among equals.
    """
    words = words_of(text)
    if not words:
        return queryset.none()
    postgres = connections[queryset.db].vendor == "postgresql"
    phrases = []
    for word in words:
        tokens = tokens_of(word, fold=postgres)
        phrase = (tsquery_phrase if postgres else fts5_phrase)(tokens) if tokens else ""
        match = Q(reference__icontains=word)
        if phrase:
            match |= _postgres_match(phrase) if postgres else _sqlite_match(phrase)
            phrases.append(phrase)
        queryset = queryset.filter(match)
    if not ranked:
        return queryset
    rank = (_postgres_rank if postgres else _sqlite_rank)(phrases) if phrases else None
    typed_reference = words[0] if len(words) == 1 else ""
    score = SqlCase(
        When(reference__iexact=typed_reference, then=Value(1000.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    if rank is not None:
        score = score + Coalesce(rank, Value(0.0))
    return queryset.annotate(search_rank=score).order_by("-search_rank", "-opened_at", "-id")


# The SQL below is built from constants only; the user's words are always parameters.
# (Hence the noqa: ruff's S608/S611 cannot see that.)
SQLITE_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
# bm25() is better the lower; negated so that higher is better on both databases. The
# ranks come from one FTS5 query in a derived table, looked up per case by the automatic
# index SQLite builds on it; "LIMIT -1" (no limit) keeps SQLite from flattening that table
# into the correlated subquery, which would run the MATCH once per case (seconds, not ms).
SQLITE_RANK = (
    "SELECT ranked.score FROM ("  # noqa: S608
    f"SELECT rowid AS case_id, -bm25({FTS_TABLE}, {SUBJECT_WEIGHT}, {MESSAGES_WEIGHT}) "
    f"AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1) AS ranked "
    'WHERE ranked.case_id = "desk_case"."id"'
)
# to_tsquery(), not a ::tsquery cast: it runs the tokens through the same parser (and
# lower-casing) as the documents.
PG_MATCH_CASES = (
    f"SELECT id FROM desk_case WHERE {PG_CASE_DOCUMENT} "  # noqa: S608
    "@@ to_tsquery('simple', %s)"
)
PG_MATCH_MESSAGES = (
    f"SELECT case_id FROM desk_message WHERE {PG_MESSAGE_DOCUMENT} "  # noqa: S608
    "@@ to_tsquery('simple', %s)"
)
# ts_rank() gives a document without the words a tiny rank rather than none, so only the
# documents that match are ranked: a case found by its reference alone ranks 0. Each case's
# messages are read through the case_id index ("OFFSET 0" keeps the planner from reaching for
# the GIN index instead, once per case): about 0.1 ms per matching case.
PG_RANK = (
    "SELECT CASE WHEN c.d @@ q THEN "  # noqa: S608
    f"{SUBJECT_WEIGHT} * ts_rank(c.d, q) ELSE 0 END + coalesce(("
    "SELECT sum(CASE WHEN m.d @@ q THEN ts_rank(m.d, q) ELSE 0 END) FROM ("
    f"SELECT {PG_MESSAGE_DOCUMENT} AS d FROM desk_message "
    'WHERE desk_message.case_id = "desk_case"."id" OFFSET 0) AS m), 0) '
    "FROM to_tsquery('simple', %s) AS q, "
    '(SELECT desk_search_document("desk_case"."subject") AS d OFFSET 0) AS c'
)


def _sqlite_match(phrase: str) -> Q:
    return Q(pk__in=RawSQL(SQLITE_MATCH, [phrase]))  # noqa: S611


def _sqlite_rank(phrases: list[str]) -> RawSQL:
    return RawSQL(SQLITE_RANK, [" OR ".join(phrases)], output_field=FloatField())  # noqa: S611


def _postgres_match(phrase: str) -> Q:
    in_cases = RawSQL(PG_MATCH_CASES, [phrase])  # noqa: S611
    in_messages = RawSQL(PG_MATCH_MESSAGES, [phrase])  # noqa: S611
    return Q(pk__in=in_cases) | Q(pk__in=in_messages)


def _postgres_rank(phrases: list[str]) -> RawSQL:
    query = " | ".join(f"({p})" for p in phrases)
    return RawSQL(PG_RANK, [query], output_field=FloatField())  # noqa: S611
