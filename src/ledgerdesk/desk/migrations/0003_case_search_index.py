"""Full-text search over cases and their messages (see `ledgerdesk.desk.search`).

SQLite: an FTS5 table, one row per case (rowid = case id), kept in step by triggers on
desk_case and desk_message, so every write path (save, bulk_create, queryset.update,
raw SQL) updates it; existing cases are indexed here.

PostgreSQL: a function, desk_search_document(text), and GIN indexes on the very expressions
`desk.search` matches against.

Each part does nothing on the other database.
"""

from django.db import migrations
from django.db.utils import OperationalError

# PostgreSQL: the document of a text, as ledgerdesk.desk.search queries it. The text is
# decomposed (NFD) and its combining accents (U+0300-U+036F) dropped, then its punctuation
# becomes spaces: ASCII, Latin-1, general punctuation and currency symbols, except what
# Python's str.isalnum() accepts ("²", "º"), as the adapter's tokenizer does. So words are
# cut where SQLite's unicode61 tokenizer cuts them. PL/pgSQL, so that it is never inlined
# and keeps its COST: the planner then prefers the GIN index to computing documents.
PG_FUNCTION = r"""
CREATE OR REPLACE FUNCTION desk_search_document(body text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $function$
BEGIN
    RETURN to_tsvector(
        'pg_catalog.simple'::regconfig,
        regexp_replace(
            regexp_replace(normalize(body, NFD), '[\u0300-\u036f]+', '', 'g'),
            '[\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007f\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20c0]+',
            ' ',
            'g'
        )
    );
END
$function$
"""

# As in ledgerdesk.desk.search (a test holds them equal: the queries only use these indexes
# while the expressions are the same).
PG_CASE_DOCUMENT = "desk_search_document(subject)"
PG_MESSAGE_DOCUMENT = "desk_search_document(subject || ' ' || text)"


def _refresh(case_id):
    """Statements that rebuild the FTS row of case `case_id` from the tables themselves."""
    return (
        f"DELETE FROM desk_case_fts WHERE rowid = {case_id}; "
        "INSERT INTO desk_case_fts(rowid, subject, messages) "
        "SELECT c.id, c.subject, coalesce(("
        "SELECT group_concat(m.subject || ' ' || m.text, char(10)) "
        "FROM desk_message m WHERE m.case_id = c.id), '') "
        f"FROM desk_case c WHERE c.id = {case_id};"
    )


SQLITE_TRIGGERS = {
    "desk_case_fts_insert": f"AFTER INSERT ON desk_case BEGIN {_refresh('new.id')} END",
    "desk_case_fts_update": (
        "AFTER UPDATE OF subject ON desk_case WHEN old.subject IS NOT new.subject "
        f"BEGIN {_refresh('new.id')} END"
    ),
    "desk_case_fts_delete": (
        "AFTER DELETE ON desk_case BEGIN DELETE FROM desk_case_fts WHERE rowid = old.id; END"
    ),
    "desk_message_fts_insert": (
        f"AFTER INSERT ON desk_message BEGIN {_refresh('new.case_id')} END"
    ),
    # case_id too: merging and splitting move messages between cases.
    "desk_message_fts_update": (
        "AFTER UPDATE OF case_id, subject, text ON desk_message "
        "WHEN old.case_id IS NOT new.case_id OR old.subject IS NOT new.subject "
        "OR old.text IS NOT new.text "
        f"BEGIN {_refresh('old.case_id')} {_refresh('new.case_id')} END"
    ),
    "desk_message_fts_delete": (
        f"AFTER DELETE ON desk_message BEGIN {_refresh('old.case_id')} END"
    ),
}

PG_INDEXES = {
    "desk_case_search_idx": ("desk_case", PG_CASE_DOCUMENT),
    "desk_message_search_idx": ("desk_message", PG_MESSAGE_DOCUMENT),
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        try:
            schema_editor.execute(
                "CREATE VIRTUAL TABLE desk_case_fts USING fts5("
                "subject, messages, tokenize = 'unicode61 remove_diacritics 2')"
            )
        except OperationalError as exc:
            raise RuntimeError(
                "Case search needs SQLite's FTS5 extension, which this Python's sqlite3 "
                f"lacks ({exc}). Use a Python built with FTS5 (python.org and Debian builds "
                "are) or PostgreSQL."
            ) from exc
        for name, body in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
        schema_editor.execute(
            "INSERT INTO desk_case_fts(rowid, subject, messages) "
            "SELECT c.id, c.subject, coalesce(("
            "SELECT group_concat(m.subject || ' ' || m.text, char(10)) "
            "FROM desk_message m WHERE m.case_id = c.id), '') FROM desk_case c"
        )
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for name, (table, document) in PG_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (({document}))")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS desk_case_fts")
    elif vendor == "postgresql":
        for name in PG_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute("DROP FUNCTION IF EXISTS desk_search_document(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_sla_escalation_key"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
