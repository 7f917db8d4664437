"""Build the demo regency (idempotent) and serve it: ``kopdig demo [--port N] [--no-serve]``."""

import time
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kopdig.tenancy import demo

# Each app may add a ``demo.py`` with ``run(ctx)``; they run in this order after the registry.
DEMO_APPS = ["ledger", "members", "savings", "loans", "shu", "rat", "dinas", "health", "programs"]


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
    for name, step in steps:
        started = time.monotonic()
        step(ctx)
        if out:
            out.write(f"  demo {name}: {time.monotonic() - started:.1f} s")
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
        build(out=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo siap. Semua akun memakai kata sandi: demo"))
        from kopdig.tenancy.models import Role

        self.stdout.write("  dinas      (Dinas Koperasi Kab. Probolinggo)\n  admin      (superuser)")
        for slug, *_ in demo.SHOWCASE:
            self.stdout.write("  " + "  ".join(f"{slug}-{k}" for k in Role.Kind.values))
        if opts["no_serve"]:
            return
        from .serve import serve

        self.stdout.write(f"Membuka http://127.0.0.1:{opts['port']}/ (Ctrl+C untuk berhenti)")
        serve(opts["port"], demo=True)
