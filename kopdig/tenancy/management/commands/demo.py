"""Build the demo regency (idempotent) and serve it: ``kopdig demo [--port N] [--no-serve]``."""

import time
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kopdig.tenancy import demo
from kopdig.tenancy.models import Role

from .serve import serve

# Each app may add a ``demo.py`` with ``run(ctx)``; they run in this order after the registry.
DEMO_APPS = [
    "ledger",
    "members",
    "savings",
    "loans",
    "usaha",
    "shu",
    "dinas",
    "rat",
    "health",
    "programs",
    "network",
]
# How each step is named in the (Indonesian) progress lines; a new app is named by its label.
STEP_NAMES = {
    "tenancy": "registri",
    "ledger": "pembukuan",
    "members": "anggota",
    "savings": "simpanan",
    "loans": "pinjaman",
    "shu": "SHU",
    "rat": "RAT",
    "dinas": "Dinas",
    "health": "kesehatan koperasi",
    "programs": "program Dinas",
    "usaha": "unit usaha",
    "network": "jejaring usaha",
}
BUDGET_SECONDS = 120  # the whole demo, all apps together (issue 14): say so when it is exceeded


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " detik"


def build(out=None, today=None):
    ctx = demo.build_context(today=today, out=out)
    steps = [("tenancy", demo.run)]
    for app in DEMO_APPS:
        try:
            module = import_module(f"kopdig.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"kopdig.{app}.demo":
                raise
            continue
        steps.append((app, module.run))
    begun = time.monotonic()
    for n, (name, step) in enumerate(steps, 1):
        started = time.monotonic()
        if out:
            out.write(f"[{n}/{len(steps)}] {STEP_NAMES.get(name, name)}…")
        step(ctx)
        if out:
            out.write(f"  {STEP_NAMES.get(name, name)} selesai: {_seconds(time.monotonic() - started)}")
    total = time.monotonic() - begun
    if out:
        over = " — melebihi anggaran" if total > BUDGET_SECONDS else ""
        out.write(f"Data demo selesai dalam {_seconds(total)} (anggaran {BUDGET_SECONDS} detik{over})")
    return ctx


class Command(BaseCommand):
    help = "Build the Kopdig demo (Kabupaten Probolinggo) and serve it on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true")

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0)
        call_command("compile_translations", verbosity=0)
        self.stdout.write("Membangun data demo…")
        try:
            build(out=self.stdout)
        except KeyboardInterrupt:
            self.stdout.write(
                "\nDihentikan (Ctrl+C). Yang sudah selesai tersimpan; hapus folder data untuk membangun ulang."
            )
            raise SystemExit(130) from None
        self.stdout.write(self.style.SUCCESS("Demo siap. Semua akun memakai kata sandi: demo"))

        self.stdout.write("  dinas      (Dinas Koperasi Kab. Probolinggo)\n  admin      (superuser)")
        for slug, *_ in demo.SHOWCASE:
            self.stdout.write("  " + "  ".join(f"{slug}-{k}" for k in Role.Kind.values))
        if opts["no_serve"]:
            return

        self.stdout.write(f"Membuka http://127.0.0.1:{opts['port']}/ (Ctrl+C untuk berhenti)")
        serve(opts["port"], demo=True)
