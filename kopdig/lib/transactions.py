"""The one way actions open their transaction, and the one way to run many actions together.

Every top-level action runs in ``action_atomic()``: a durable ``transaction.atomic`` (it must
be the outermost transaction, so its writes are committed when it returns). Inside
``batch()`` the same actions nest instead: they check roles, audit and post exactly as they
do alone, so the rows written are the same, and everything commits or rolls back together at
the end of the block. Used by the demo builders, imports, and by an action of one app that
must run an action of another in its own transaction (the RAT's decision approving the SHU).

    with batch():
        member_admit(actor=..., cooperative=..., ...)
        savings_deposit(actor=..., cooperative=..., ...)

``batch()`` itself may be entered inside an action (``atomic``, not durable) when that action
is already inside a batch or is itself the outermost transaction.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_in_batch: ContextVar[bool] = ContextVar("kopdig_batch", default=False)


def in_batch() -> bool:
    return _in_batch.get()


def action_atomic(using=None):
    """The transaction of one action: durable alone, nested inside ``batch()``."""
    return transaction.atomic(using=using, durable=not _in_batch.get())


@contextmanager
def batch(using=None):
    """Run several actions (of any app) in ONE transaction; see the module docstring.

    Outside any transaction it opens a durable one. Inside an action's transaction it nests
    (a savepoint), so an action can call other apps' actions as one unit.
    """
    token = _in_batch.set(True)
    try:
        durable = not transaction.get_connection(using).in_atomic_block
        with transaction.atomic(using=using, durable=durable):
            yield
    finally:
        _in_batch.reset(token)
