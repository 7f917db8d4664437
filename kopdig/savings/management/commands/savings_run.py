"""``kopdig savings_run billing|interest|maturity --period 2025-03 [--coop SLUG]``.

Runs the month's savings job for one cooperative or for every cooperative that keeps its books
on Kopdig. Idempotent and resumable: a finished run is skipped, an interrupted one continues.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from kopdig.lib.errors import DomainError
from kopdig.savings.actions import savings_run
from kopdig.savings.models import Run
from kopdig.savings.runs import parse_period
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative


class Command(BaseCommand):
    help = "Run the monthly savings job (billing, interest, maturity) for one or all cooperatives."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Run.Kind.values)
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--coop", help="cooperative slug (default: all on Kopdig)")

    def handle(self, *args, kind, period, coop=None, **opts):
        try:
            month = parse_period(period)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        coops = Cooperative.objects.filter(on_kopdig=True).order_by("slug")
        if coop:
            coops = coops.filter(slug=coop)
            if not coops.exists():
                raise CommandError(f"Koperasi {coop} tidak ditemukan atau tidak berbuku di Kopdig.")
        failed = 0
        for c in coops:
            started = time.monotonic()
            try:
                run = savings_run(actor=SYSTEM, cooperative=c, kind=kind, period=month)
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"{c.slug}: {exc}")
                continue
            self.stdout.write(
                f"{c.slug}: {run.get_kind_display()} {month:%Y-%m} {run.status} "
                f"{run.done}/{run.total} ({time.monotonic() - started:.1f} s)"
            )
        if failed:
            raise CommandError(f"{failed} koperasi gagal.")
