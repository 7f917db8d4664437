"""kopdig shu_distribute --coop SLUG --year YYYY [--method tunai|sukarela] [--date YYYY-MM-DD] [--user NAME]

Runs (or resumes) the SHU distribution of an allocated year; re-running pays nobody twice.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kopdig.lib.errors import DomainError
from kopdig.shu.actions import shu_distribute
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative


class Command(BaseCommand):
    help = "Bagikan (atau lanjutkan pembagian) SHU tahun buku yang sudah dialokasikan."

    def add_arguments(self, parser):
        parser.add_argument("--coop", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--method", default="tunai", choices=["tunai", "sukarela"])
        parser.add_argument("--date", default=None, help="tanggal pembayaran (default: hari ini)")
        parser.add_argument(
            "--user", default=None, help="pengguna pengurus/manajer yang menjalankan (default: sistem)"
        )
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, coop, year, method, date, user, batch, **options):
        try:
            cooperative = Cooperative.objects.get(slug=coop)
        except Cooperative.DoesNotExist:
            raise CommandError(f"Koperasi {coop} tidak ditemukan.") from None
        actor = SYSTEM
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Pengguna {user} tidak ditemukan.")

        def progress(done, total):
            self.stdout.write(f"{done}/{total}")

        try:
            sy = shu_distribute(
                actor=actor,
                cooperative=cooperative,
                year=year,
                method=method,
                batch_size=batch,
                date=dt.date.fromisoformat(date) if date else None,
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"SHU {year} {cooperative.slug}: {sy.get_status_display()}, {sy.distribute_done}/{sy.distribute_total} anggota"
            )
        )
