"""The audit log: every change to money-relevant or contact data, with who, when, before, after.

Models opt in with `track(Model, fields)`. Changes made through `save()` and
`delete()` (forms, the admin, services) are recorded by signals, the one place
the house rules allow signals. Bulk paths (imports) call `record_many()`
themselves, because `bulk_create` sends no signals.

The actor comes from a context variable: the web middleware sets it to the
signed-in user, CLI commands and tasks name themselves with `acting_as()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from decimal import Decimal

from django.db.models.signals import post_delete, post_save, pre_save

from ledgerdesk.core import fastinsert
from ledgerdesk.core.models import AuditEntry

_actor: contextvars.ContextVar[tuple[object | None, str]] = contextvars.ContextVar(
    "audit_actor", default=(None, "system")
)
_tracked: dict[type, tuple[str, ...]] = {}


@contextlib.contextmanager
def acting_as(user=None, label: str | None = None):
    """Attribute the changes made inside this block to `user` (or a system label)."""
    if label is None:
        label = user.get_username() if user is not None else "system"
    token = _actor.set((user, label))
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def acting_for_request(request):
    """Attribute changes to whoever the request turns out to be signed in as.

    Resolved when a change is recorded, not when the request arrives, because
    API token authentication sets `request.user` only inside the view.
    """
    token = _actor.set((request, ""))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[object | None, str]:
    who, label = _actor.get()
    if hasattr(who, "META"):  # a request
        user = getattr(who, "user", None)
        if user is not None and user.is_authenticated:
            return user, user.get_username()
        return None, "anonymous"
    return who, label


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def snapshot(instance, fields: tuple[str, ...]) -> dict:
    return {name: jsonable(getattr(instance, _attname(instance, name))) for name in fields}


def _attname(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    return field.attname  # "party_id" for a foreign key, so no extra query


def entry(action, instance, before=None, after=None, note="") -> AuditEntry:
    user, label = current_actor()
    user_id = getattr(user, "pk", None)
    return AuditEntry(
        actor_id=user_id,
        actor_label=label[:150],
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before or {},
        after=after or {},
        note=note[:300],
    )


def record(action, instance, before=None, after=None, note="") -> AuditEntry:
    audit = entry(action, instance, before, after, note)
    audit.save()
    return audit


def record_many(entries: list[AuditEntry]) -> None:
    """Write many entries at once (no signals, as `bulk_create`; their ids are not set)."""
    fastinsert.insert(entries)


def tracked_fields(model) -> tuple[str, ...]:
    """The fields recorded for `model`, for bulk paths that write the entries themselves."""
    return _tracked.get(model, ())


def track(model, fields: tuple[str, ...]) -> None:
    """Record creates, changes and deletes of `fields` on `model`."""
    _tracked[model] = fields
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-del")


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    fields = _tracked[sender]
    attnames = [_attname(instance, f) for f in fields]
    # One query for the stored row: the instance in hand already holds the new values.
    row = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    instance._audit_before = (
        {f: jsonable(row[a]) for f, a in zip(fields, attnames, strict=True)} if row else None
    )


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance, _tracked[sender])
    if created:
        record(AuditEntry.Action.CREATE, instance, {}, after)
        return
    before = getattr(instance, "_audit_before", None) or {}
    changed = {k for k in after if before.get(k) != after[k]}
    if changed:
        record(
            AuditEntry.Action.UPDATE,
            instance,
            {k: before.get(k) for k in changed},
            {k: after[k] for k in changed},
        )


def _after_delete(sender, instance, **kwargs):
    record(AuditEntry.Action.DELETE, instance, snapshot(instance, _tracked[sender]), {})
