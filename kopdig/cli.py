"""The ``kopdig`` console command: Django's management commands plus Kopdig's own.

kopdig demo [--port N] [--no-serve]   build the demo regency and serve it
kopdig serve [--port N]               serve (gunicorn) with the background worker
kopdig ledger verify [--coop SLUG]    prove every cache against its source (exit 1 on a difference)
kopdig backup [--dir DIR]             timestamped copy of the database (consistent while serving)
kopdig restore FILE --yes             replace the database from a backup, then ledger verify
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
