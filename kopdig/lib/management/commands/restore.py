"""``kopdig restore FILE --yes``: replace the database's contents with a backup made by
``kopdig backup``, then prove the restored books with ``kopdig ledger verify`` (exit 1 on any
difference). Stop the server first: restore replaces every table."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kopdig.lib import backup


class Command(BaseCommand):
    help = "Restore the database from a `kopdig backup` file, then run `kopdig ledger verify`."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="a .sqlite3 (SQLite) or .dump (PostgreSQL) file from `kopdig backup`"
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the database's current contents are replaced"
        )

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            raise CommandError(
                f"restore replaces every table of {connection.settings_dict['NAME']}: add --yes to confirm"
            )
        try:
            backup.restore(connection, file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {file} into {connection.settings_dict['NAME']}")
        call_command("ledger", "verify", stdout=self.stdout, stderr=self.stderr)
