"""Idempotent execution of a write for API clients (Idempotency-Key) and forms (one-time token)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from kopdig.lib.errors import DomainError
from kopdig.lib.transactions import batch

from .models import IdempotencyKey

TTL = timedelta(hours=24)


class IdempotencyConflict(DomainError):
    status = 422


def body_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def run_once(*, user, cooperative, endpoint: str, key: str | None, body, fn):
    """Run ``fn() -> (status, payload)`` at most once per key; return (status, payload).

    Without a key, ``fn`` simply runs. With a key, the key row is inserted, ``fn`` runs and its
    response is stored in ONE transaction (``fn``'s actions nest in it through ``batch()``):

    - a crash anywhere (a worker killed, the connection lost) rolls back the key and the
      posting together, so a retry posts exactly once;
    - a concurrent duplicate blocks on the key row's unique index until the first commits (then
      it replays the stored response) or rolls back (then it runs itself);
    - a refused action (DomainError) rolls the key back too, so a corrected retry may use it;
    - the same key with another body answers 422 (IdempotencyConflict).
    """
    if not key:
        return fn()
    key = key.strip()[:120]
    digest = body_hash(body)
    with batch():
        record, replay = _claim(user=user, cooperative=cooperative, endpoint=endpoint, key=key, digest=digest)
        if replay:
            return record.status_code, record.response
        status, payload = fn()
        record.status_code = status
        record.response = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        record.save(update_fields=["status_code", "response"])
    return status, payload


def _claim(*, user, cooperative, endpoint, key, digest) -> tuple[IdempotencyKey, bool]:
    """(the key row, True when it holds a stored response to replay) inside the caller's transaction.

    The INSERT waits while another transaction holds an uncommitted row with the same key
    (PostgreSQL's unique index; SQLite serialises writers), so a duplicate sees only committed
    rows, which always carry their response.
    """
    scope = dict(cooperative=cooperative, user=user, endpoint=endpoint, key=key)
    IdempotencyKey.objects.filter(**scope, created_at__lt=timezone.now() - TTL).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(**scope, request_hash=digest), False
    except IntegrityError:
        record = IdempotencyKey.objects.get(**scope)
    if record.request_hash != digest:
        raise IdempotencyConflict("Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda.")
    return record, True


def purge(*, cooperative, endpoint: str) -> int:
    """Delete every key of ``endpoint`` in the cooperative (e.g. a secret ballot's keys when the
    item closes, so no stored digest outlives the vote). Returns the number deleted."""
    return IdempotencyKey.objects.filter(cooperative=cooperative, endpoint=endpoint).delete()[0]
