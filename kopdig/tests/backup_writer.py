"""A writer process for the backup test: posts journal entries (Dr kas / Cr pendapatan lain,
Rp 1.000 each) one after another and prints ``posted NUMBER`` after each commit, until killed.

    python -m kopdig.tests.backup_writer SLUG USERNAME

The database comes from the environment (DATABASE_URL, or KOPDIG_DATA_DIR for SQLite).
"""

import datetime as dt
import os
import sys
from decimal import Decimal


def main(slug, username):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.posting import Line
    from kopdig.tenancy.models import Cooperative, User

    coop = Cooperative.objects.get(slug=slug)
    user = User.objects.get(username=username)
    for i in range(100_000):
        entry = journal_entry_post(
            actor=user,
            cooperative=coop,
            date=dt.date(2025, 3, 3),
            memo=f"Penulis {i}",
            lines=[Line("kas", debit=Decimal("1000")), Line("pendapatan_lain", credit=Decimal("1000"))],
        )
        print("posted", entry.number, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
