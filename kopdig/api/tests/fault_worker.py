"""A worker process for the fault tests: posts one journal entry through ``run_once`` with an
Idempotency-Key against the test database, then waits to be killed (SIGKILL) by the test.

    python -m kopdig.api.tests.fault_worker MODE SLUG USERNAME KEY

MODE ``inside``: prints ``posted`` inside the transaction (entry written, not committed) and
sleeps; ``after``: prints ``done NUMBER`` after the commit and sleeps (the client never got its
answer); ``wait``: like ``after``, used while the test holds a lock the posting waits on.
The test database comes from ``DATABASE_URL`` in the environment (the test passes its own).
"""

import datetime as dt
import os
import sys
import time
from decimal import Decimal


def main(mode, slug, username, key):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from kopdig.api.idempotency import run_once
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.posting import Line
    from kopdig.tenancy.models import Cooperative, User

    coop = Cooperative.objects.get(slug=slug)
    user = User.objects.get(username=username)

    def fn():
        entry = journal_entry_post(
            actor=user,
            cooperative=coop,
            date=dt.date(2025, 3, 3),
            memo="Setoran kas",
            lines=fault_lines(Line),
        )
        if mode == "inside":
            print("posted", flush=True)
            time.sleep(600)
        return 201, {"number": entry.number}

    status, payload = run_once(
        user=user, cooperative=coop, endpoint="POST /coops/{slug}/journal", key=key, body=FAULT_BODY, fn=fn
    )
    print("done", payload["number"], flush=True)
    time.sleep(600)


FAULT_BODY = {"date": "2025-03-03", "amount": "250000.00"}


def fault_lines(line):
    return [line("kas", debit=Decimal("250000")), line("pendapatan_lain", credit=Decimal("250000"))]


if __name__ == "__main__":
    main(*sys.argv[1:5])
