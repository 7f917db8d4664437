"""Audit trail: every action records one row with ``audit.record``."""


def record(actor, action, *, cooperative=None, kabupaten=None, obj=None, ref="", summary="", before=None, after=None):
    """Write one audit row. Call inside the action's transaction so it commits with the change.

    ``obj`` fills object_type; ``ref`` is the business reference shown to users (member number,
    journal number, slug). ``before``/``after`` are dicts of the changed fields' values.
    """
    from .models import AuditLog

    if cooperative is None and obj is not None:
        cooperative = getattr(obj, "cooperative", None)
    if kabupaten is None and cooperative is not None:
        kabupaten_id = cooperative.kabupaten_id
    else:
        kabupaten_id = getattr(kabupaten, "pk", kabupaten)
    return AuditLog.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        cooperative=cooperative,
        kabupaten_id=kabupaten_id,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_ref=str(ref)[:80],
        summary=str(summary)[:255],
        before=before,
        after=after,
    )


def snapshot(obj, fields):
    """{field: value} of ``obj`` for the audit's before/after."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "pk"):
            value = str(value)
        out[name] = value
    return out


def diff(before: dict, after: dict):
    """Only the fields whose value changed: (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
