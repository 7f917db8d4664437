"""``kopdig backup [--dir DIR]``: a timestamped, consistent copy of the whole database while the
server keeps running (SQLite: online backup API → kopdig-YYYYmmdd-HHMMSS.sqlite3; PostgreSQL:
pg_dump -Fc → kopdig-YYYYmmdd-HHMMSS.dump). Prints the file's path."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kopdig.lib import backup


class Command(BaseCommand):
    help = "Back up the database into a timestamped file (consistent while the server runs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", default=None, help="target directory (default: <data dir>/backups)"
        )

    def handle(self, *args, directory=None, **options):
        directory = directory or settings.DATA_DIR / "backups"
        try:
            path = backup.create(connection, directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
