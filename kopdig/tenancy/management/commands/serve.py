"""Serve Kopdig with gunicorn and run the background-task worker beside it."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def serve(port: int, host: str = "127.0.0.1", demo: bool = False, stdout=None):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="kopdig.settings", KOPDIG_DATA_DIR=str(settings.DATA_DIR))
    if demo:
        env["KOPDIG_DEMO"] = "1"
    worker = subprocess.Popen([sys.executable, "-m", "kopdig.cli", "db_worker"], env=env)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kopdig.wsgi:application", "--bind", f"{host}:{port}",
         "--workers", "2", "--threads", "4", "--access-logfile", "-"],
        env=env,
    )
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (server, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (server, worker):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


class Command(BaseCommand):
    help = "Serve Kopdig (gunicorn) with the background-task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **opts):
        serve(opts["port"], opts["host"], demo=settings.DEMO_MODE)
