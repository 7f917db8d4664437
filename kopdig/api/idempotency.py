"""Idempotent execution of a write for API clients (Idempotency-Key) and forms (one-time token)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from kopdig.lib.errors import DomainError

from .models import IdempotencyKey

TTL = timedelta(hours=24)


class IdempotencyConflict(DomainError):
    status = 422


class IdempotencyInProgress(DomainError):
    status = 409


def body_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def run_once(*, user, cooperative, endpoint: str, key: str | None, body, fn):
    """Run ``fn() -> (status, payload)`` at most once per key; return (status, payload).

    Without a key, ``fn`` simply runs. ``fn`` runs its own durable transaction; the key row is
    claimed before it and filled after it. A refused action (DomainError) releases the claim so
    that a corrected retry may use the same key.
    """
    if not key:
        return fn()
    key = key.strip()[:120]
    digest = body_hash(body)
    cutoff = timezone.now() - TTL
    IdempotencyKey.objects.filter(cooperative=cooperative, user=user, endpoint=endpoint, key=key,
                                  created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=user, cooperative=cooperative, endpoint=endpoint, key=key, request_hash=digest
            )
    except IntegrityError:
        record = IdempotencyKey.objects.get(cooperative=cooperative, user=user, endpoint=endpoint, key=key)
        if record.request_hash != digest:
            raise IdempotencyConflict(
                "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda."
            ) from None
        if record.status_code is None:
            raise IdempotencyInProgress("Permintaan dengan Idempotency-Key ini sedang diproses.") from None
        return record.status_code, record.response
    try:
        status, payload = fn()
    except BaseException:
        IdempotencyKey.objects.filter(pk=record.pk).delete()
        raise
    payload_json = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    IdempotencyKey.objects.filter(pk=record.pk).update(status_code=status, response=payload_json)
    return status, payload


def purge(*, cooperative, endpoint: str) -> int:
    """Delete every key of ``endpoint`` in the cooperative (e.g. a secret ballot's keys when the
    item closes, so no stored digest outlives the vote). Returns the number deleted."""
    return IdempotencyKey.objects.filter(cooperative=cooperative, endpoint=endpoint).delete()[0]
