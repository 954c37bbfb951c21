"""Insert many new rows of one model fast, for bulk paths that write hundreds of thousands.

`QuerySet.bulk_create` builds its SQL in Python row by row, field by field (about sixty
microseconds a row of ten fields): for cash application's audit entries that is most of the
time spent writing. Here the INSERT is built once and run for every row with
`cursor.executemany`; the values are the ones `bulk_create` sends, prepared by the fields
themselves (`pre_save`, then `get_db_prep_save`: decimals, aware datetimes, JSON as the model
field serialises it, foreign keys by id). Like `bulk_create` it sends no signals.

`insert(objs)` does not set the primary keys of the objects; `insert(objs, returning=True)`
does (one multi-row INSERT … RETURNING per batch, as `bulk_create` does where the database can
return the rows it inserted, else `bulk_create` itself).
"""

from __future__ import annotations

from django.db import connections, router

# Rows per executemany call: bounds the memory of the prepared values, not a database limit.
CHUNK = 2000
# Rows per INSERT … RETURNING at most (one statement, its parameters all in memory).
RETURNING_ROWS = 1000


def _prepared(objs: list, fields: list, connection) -> list[list]:
    rows = []
    for obj in objs:
        # A related object assigned before it was saved: its id, now that it has one.
        obj._prepare_related_fields_for_save(operation_name="insert")
        rows.append(
            [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        )
    return rows


def _fields(meta, objs: list) -> list:
    pk = meta.pk
    with_pk = [obj for obj in objs if obj.pk is not None]
    if with_pk and len(with_pk) != len(objs):
        raise ValueError("insert: give objects all with a primary key or all without")
    # As bulk_create: a generated column is the database's to fill.
    fields = [field for field in meta.concrete_fields if not field.generated]
    if with_pk:
        return fields
    return [field for field in fields if field is not pk]


def insert(objs: list, *, returning: bool = False) -> None:
    """Insert the unsaved `objs` (instances of one model) in as few statements as can be.

    `returning`: set each object's primary key from the database (only for objects without
    one). The objects are marked saved, as `bulk_create` marks them.
    """
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise ValueError("insert: every object must be of the same model")
    meta = model._meta
    if meta.parents:
        raise ValueError(f"insert: {meta.label} inherits from another model; use bulk_create")
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = _fields(meta, objs)
    wants_pk = returning and objs[0].pk is None
    if wants_pk and not connection.features.can_return_rows_from_bulk_insert:
        model._base_manager.using(alias).bulk_create(objs)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 - names from the model
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if not wants_pk:
            for start in range(0, len(objs), CHUNK):
                cursor.executemany(
                    head + one, _prepared(objs[start : start + CHUNK], fields, connection)
                )
        else:
            returning_sql, returning_params = connection.ops.return_insert_columns([meta.pk])
            # Rows per INSERT … RETURNING: within the database's parameters per statement
            # (999 on SQLite, 65,535 for PostgreSQL's protocol).
            limit = connection.features.max_query_params or 65_535
            size = connection.ops.bulk_batch_size(fields, objs)
            size = max(1, min(size, limit // max(1, len(fields)), RETURNING_ROWS))
            for start in range(0, len(objs), size):
                batch = objs[start : start + size]
                rows = _prepared(batch, fields, connection)
                sql = head + ", ".join([one] * len(batch)) + " " + returning_sql
                params = [value for row in rows for value in row] + list(returning_params)
                cursor.execute(sql, params)
                ids = cursor.fetchall()
                if len(ids) != len(batch):
                    raise RuntimeError(f"insert: {len(ids)} ids back for {len(batch)} rows")
                for obj, (pk, *_) in zip(batch, ids, strict=True):
                    obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
