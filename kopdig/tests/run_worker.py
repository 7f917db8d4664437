"""A worker process for the kill -9 tests of the long runs: runs a billing or arrears run with
tiny chunks and stops inside the second chunk's transaction (the first chunk committed), prints
``inside`` and sleeps until the test kills it with SIGKILL.

    python -m kopdig.tests.run_worker billing SLUG 2025-03
    python -m kopdig.tests.run_worker arrears SLUG 2025-06-30

The database comes from ``DATABASE_URL`` in the environment (the test passes its own).
"""

import datetime as dt
import os
import sys
import time


def _stop_on_second_call(module, name):
    original = getattr(module, name)
    calls = []

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:
            print("inside", flush=True)
            time.sleep(600)
        return result

    setattr(module, name, wrapped)


def main(kind, slug, when):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from kopdig.tenancy.access import SYSTEM
    from kopdig.tenancy.models import Cooperative

    coop = Cooperative.objects.get(slug=slug)
    if kind == "billing":
        from kopdig.savings import runs
        from kopdig.savings.actions import savings_run

        runs.CHUNK = 1  # billing takes 5 × CHUNK members per transaction
        _stop_on_second_call(runs, "_progress")
        savings_run(
            actor=SYSTEM, cooperative=coop, kind="billing", period=dt.date.fromisoformat(when + "-01")
        )
    else:
        from kopdig.loans import arrears

        _stop_on_second_call(arrears, "_process_chunk")
        arrears.arrears_run(actor=SYSTEM, cooperative=coop, date=dt.date.fromisoformat(when), chunk=2)
    print("finished", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
