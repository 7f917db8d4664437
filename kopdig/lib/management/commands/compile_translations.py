"""Compile every .po under kopdig/ to .mo with Babel (no GNU gettext needed)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_all(root: Path) -> int:
    count = 0
    for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        count += 1
    return count


class Command(BaseCommand):
    help = "Compile translations (.po -> .mo) with Babel."

    def handle(self, *args, **options):
        n = compile_all(Path(settings.BASE_DIR))
        self.stdout.write(f"compiled {n} catalogue(s)")
