"""``kopdig loans_arrears --date YYYY-MM-DD [--coop SLUG]``: the arrears run (idempotent per date)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kopdig.loans.arrears import arrears_run
from kopdig.loans.models import Loan
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative


class Command(BaseCommand):
    help = "Hitung tunggakan, denda, kolektibilitas dan cadangan risiko pinjaman per tanggal."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--coop", help="slug koperasi (default: semua yang punya pinjaman aktif)")

    def handle(self, *args, date, coop=None, **options):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError("--date harus YYYY-MM-DD") from None
        if coop:
            coops = list(Cooperative.objects.filter(slug=coop))
            if not coops:
                raise CommandError(f"koperasi {coop} tidak ditemukan")
        else:
            ids = (
                Loan.objects.filter(status=Loan.Status.ACTIVE)
                .values_list("cooperative_id", flat=True)
                .distinct()
            )
            coops = list(Cooperative.objects.filter(pk__in=ids).order_by("slug"))
        for c in coops:
            run = arrears_run(actor=SYSTEM, cooperative=c, date=day)
            s = run.summary
            self.stdout.write(
                f"{c.slug} {day}: {run.processed} pinjaman, RPM {s.get('rpm')}, "
                f"cadangan {s.get('required')} (penyesuaian {s.get('adjustment')})"
            )
