"""The ``kopdig`` console command: Django's management commands plus Kopdig's own.

kopdig demo [--port N] [--no-serve]   build the demo regency and serve it
kopdig serve [--port N]               serve (gunicorn) with the background worker
kopdig ledger verify [--coop SLUG]    recompute balances from the journal lines
kopdig <django command> …             e.g. kopdig migrate, kopdig createsuperuser
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kopdig", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
