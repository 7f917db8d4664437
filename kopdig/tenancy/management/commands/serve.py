"""Serve Kopdig with gunicorn and run the background-task worker beside it."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def serve(port: int, host: str = "127.0.0.1", demo: bool = False, stdout=None):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="kopdig.settings", KOPDIG_DATA_DIR=str(settings.DATA_DIR))
    if demo:
        env["KOPDIG_DEMO"] = "1"
    # Own sessions: Ctrl+C reaches this process only, which then stops both children in order.
    worker = subprocess.Popen(
        [sys.executable, "-m", "kopdig.cli", "db_worker"], env=env, start_new_session=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kopdig.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--graceful-timeout",
            "3",
            "--access-logfile",
            "-",
        ],
        env=env,
        start_new_session=True,
    )
    try:
        server.wait()
    except KeyboardInterrupt:
        print("\nBerhenti…", flush=True)
    finally:
        _stop(server, worker)


def _stop(*procs, timeout: float = 8.0):
    """Stop within seconds. The children run in their own sessions, so the terminal's Ctrl+C does
    not reach gunicorn's threaded workers directly (a SIGINT there left their thread pools running
    until the master SIGKILLed them: "Perhaps out of memory?"); both get SIGTERM: gunicorn's
    graceful stop (idle workers exit at once, requests in flight get ``--graceful-timeout``) and
    the task worker's (it finishes its current task). Whatever still runs after ``timeout`` is killed."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Command(BaseCommand):
    help = "Serve Kopdig (gunicorn) with the background-task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **opts):
        serve(opts["port"], opts["host"], demo=settings.DEMO_MODE)
