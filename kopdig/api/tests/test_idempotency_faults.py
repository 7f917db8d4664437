"""Idempotency-Key under faults (issue 11.1): the key, the posting and the stored response are
one transaction, so a crash never leaves a key without its result.

PostgreSQL tests use real processes (a worker killed with SIGKILL) and threads; SQLite
serialises writers, so only the rollback rule is tested on both.
"""

import datetime as dt
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections

from kopdig.api.idempotency import run_once
from kopdig.api.models import IdempotencyKey
from kopdig.ledger.actions import journal_entry_post, period_close_month
from kopdig.ledger.models import JournalEntry
from kopdig.ledger.posting import Line, PeriodClosed

from .fault_worker import FAULT_BODY, fault_lines

ENDPOINT = "POST /coops/{slug}/journal"
ROOT = Path(__file__).resolve().parents[3]


def _needs_pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: real concurrent writers (SQLite serialises them)")


def _post_fn(world, date=dt.date(2025, 3, 3)):
    def fn():
        entry = journal_entry_post(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            date=date,
            memo="Setoran kas",
            lines=fault_lines(Line),
        )
        return 201, {"number": entry.number}

    return fn


def _retry(world, key):
    return run_once(
        user=world.kasir_a,
        cooperative=world.coop_a,
        endpoint=ENDPOINT,
        key=key,
        body=FAULT_BODY,
        fn=_post_fn(world),
    )


def _posted(world):
    return list(
        JournalEntry.objects.filter(cooperative=world.coop_a, memo="Setoran kas").values_list(
            "number", flat=True
        )
    )


def pg_url() -> str:
    """The test database as a DATABASE_URL for a worker process."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def pg_conninfo() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"],
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    )


def start_worker(module: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=pg_url())
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(proc: subprocess.Popen, timeout: float = 60) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        proc.kill()
        raise AssertionError(
            f"worker said nothing in {timeout} s: {proc.stderr.read() if proc.poll() else ''}"
        )
    line = proc.stdout.readline().strip()
    assert line, f"worker died: {proc.wait() and proc.stderr.read()}"
    return line


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()


def wait_for_lock_waiter(conninfo: str, timeout: float = 60) -> None:
    """Until a backend of the test database waits on a lock."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as probe:
        while time.monotonic() < deadline:
            n = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if n:
                return
            time.sleep(0.05)
    raise AssertionError("no backend waited on the lock")


def _worker(world, mode, key):
    return start_worker("kopdig.api.tests.fault_worker", mode, world.coop_a.slug, world.kasir_a.username, key)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_waiting_on_a_lock_leaves_nothing(world):
    """(a) of the issue: the key used to stay claimed (409 for a day); now the retry posts once."""
    _needs_pg()
    with psycopg.connect(pg_conninfo()) as holder:
        holder.execute("LOCK TABLE ledger_journalentry IN EXCLUSIVE MODE")
        proc = _worker(world, "wait", "k-wait")
        wait_for_lock_waiter(pg_conninfo())
        kill9(proc)
        holder.rollback()
    assert _posted(world) == []
    status, payload = _retry(world, "k-wait")
    assert status == 201
    assert _posted(world) == [payload["number"]]
    assert _retry(world, "k-wait") == (201, payload)
    assert _posted(world) == [payload["number"]]


@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_posting_inside_its_transaction_posts_nothing(world):
    _needs_pg()
    proc = _worker(world, "inside", "k-inside")
    assert read_line(proc) == "posted"
    kill9(proc)
    status, payload = _retry(world, "k-inside")
    assert status == 201
    assert _posted(world) == [payload["number"]]


@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_commit_retry_replays_the_stored_response(world):
    """(b) of the issue: the client never got its answer; the retry learns the posted number."""
    _needs_pg()
    proc = _worker(world, "after", "k-after")
    line = read_line(proc)
    kill9(proc)
    number = line.split()[1]
    assert line == f"done {number}"
    assert _retry(world, "k-after") == (201, {"number": number})
    assert _posted(world) == [number]
    assert IdempotencyKey.objects.get(key="k-after").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_keys_post_once_and_all_get_the_response(world):
    """Concurrent duplicates wait on the key row, then replay the stored response."""
    _needs_pg()
    barrier = threading.Barrier(20)
    results, errors = [], []

    def call():
        try:
            barrier.wait()
            results.append(_retry(world, "k-twenty"))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = _posted(world)
    assert len(numbers) == 1
    assert results == [(201, {"number": numbers[0]})] * 20


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_keeps_no_key_and_a_corrected_retry_posts(world):
    period_close_month(actor=world.pengurus_a, cooperative=world.coop_a, year=2025, month=3)
    with pytest.raises(PeriodClosed):
        run_once(
            user=world.kasir_a,
            cooperative=world.coop_a,
            endpoint=ENDPOINT,
            key="k-refused",
            body=FAULT_BODY,
            fn=_post_fn(world),
        )
    assert not IdempotencyKey.objects.filter(key="k-refused").exists()
    assert _posted(world) == []
    status, payload = run_once(
        user=world.kasir_a,
        cooperative=world.coop_a,
        endpoint=ENDPOINT,
        key="k-refused",
        body=FAULT_BODY,
        fn=_post_fn(world, date=dt.date(2025, 4, 1)),
    )
    assert status == 201
    assert _posted(world) == [payload["number"]]
