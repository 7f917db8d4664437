"""``kopdig backup`` while a writer process posts, ``kopdig restore`` elsewhere (issue 11.6): the
restored books are one consistent moment of the original (a gapless prefix of the writer's
entries), ``ledger verify`` runs after the restore and passes, and the trial balance of the
restored database equals the original's over the same entries.

Real processes on both databases: on SQLite the test fixture's (in-memory) database is first
copied to a WAL file with the same backup API, and the writer, the backup and the restore are
``kopdig`` processes on files; on PostgreSQL they work on the test database itself and the
restore goes into a second database.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kopdig.api.tests.test_idempotency_faults import kill9, pg_conninfo, pg_url, read_line
from kopdig.lib import backup

ROOT = Path(__file__).resolve().parents[2]
TRIAL_BALANCE = """
SELECT c.slug, a.code, SUM(l.debit), SUM(l.credit)
  FROM ledger_journalline l
  JOIN ledger_account a ON a.id = l.account_id
  JOIN tenancy_cooperative c ON c.id = l.cooperative_id
  JOIN ledger_journalentry e ON e.id = l.entry_id
 WHERE e.number IN ({numbers})
 GROUP BY c.slug, a.code ORDER BY c.slug, a.code
"""


def _kopdig(env, *args, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "kopdig.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _finish(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _writer(env, world):
    return subprocess.Popen(
        [sys.executable, "-m", "kopdig.tests.backup_writer", world.coop_a.slug, world.kasir_a.username],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _backup_while_writing(env, world, directory):
    """Start the writer, back up once it has posted, let it post some more, kill it."""
    writer = _writer(env, world)
    try:
        before = [read_line(writer) for _ in range(5)]
        code, out, err = _finish(_kopdig(env, "backup", "--dir", str(directory)))
        assert code == 0, err
        after = [read_line(writer) for _ in range(5)]
    finally:
        kill9(writer)
    assert all(line.startswith("posted ") for line in before + after)
    path = Path(out.strip())
    assert path.parent == directory and path.name.startswith("kopdig-")
    return path


def _numbers(rows):
    return ", ".join(f"'{n}'" for (n,) in rows)


def _check_restored(world, run_sql_source, run_sql_restored, restore_out):
    assert restore_out.splitlines()[-1] == "ledger verify: OK"
    written = run_sql_restored(
        "SELECT e.number FROM ledger_journalentry e JOIN tenancy_cooperative c ON c.id = e.cooperative_id"
        f" WHERE c.slug = '{world.coop_a.slug}' AND e.memo LIKE 'Penulis %' ORDER BY e.number"
    )
    memos = run_sql_restored("SELECT memo FROM ledger_journalentry WHERE memo LIKE 'Penulis %'")
    total = run_sql_source("SELECT count(*) FROM ledger_journalentry WHERE memo LIKE 'Penulis %'")[0][0]
    # a consistent moment: the first n entries of the writer, none half-written, some after it
    assert sorted(int(m.split()[1]) for (m,) in memos) == list(range(len(memos)))
    assert 5 <= len(written) < total
    every = run_sql_restored("SELECT number FROM ledger_journalentry")
    source_tb = run_sql_source(TRIAL_BALANCE.format(numbers=_numbers(every)))
    restored_tb = run_sql_restored(TRIAL_BALANCE.format(numbers=_numbers(every)))
    assert [tuple(map(str, r)) for r in restored_tb] == [tuple(map(str, r)) for r in source_tb]
    assert any(code == "1101" for _, code, _, _ in restored_tb)


@pytest.mark.django_db(transaction=True)
def test_backup_while_writing_then_restore_elsewhere(world, tmp_path):
    if connection.vendor == "sqlite":
        _sqlite_case(world, tmp_path)
    else:
        _pg_case(world, tmp_path)


def _sqlite_case(world, tmp_path):
    live_dir, restored_dir = tmp_path / "live", tmp_path / "restored"
    live_dir.mkdir()
    restored_dir.mkdir()
    fixture = backup.create(connection, tmp_path)  # the test fixture's in-memory database
    fixture.rename(live_dir / "kopdig.sqlite3")
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    live_env = dict(base, KOPDIG_DATA_DIR=str(live_dir))
    path = _backup_while_writing(live_env, world, tmp_path / "backups")
    assert path.suffix == ".sqlite3"
    code, out, err = _finish(
        _kopdig(dict(base, KOPDIG_DATA_DIR=str(restored_dir)), "restore", str(path), "--yes")
    )
    assert code == 0, err

    def sql(db):
        def run(query):
            with sqlite3.connect(db) as c:
                return c.execute(query).fetchall()

        return run

    _check_restored(world, sql(live_dir / "kopdig.sqlite3"), sql(restored_dir / "kopdig.sqlite3"), out)


def _pg_case(world, tmp_path):
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    admin = psycopg.conninfo.make_conninfo(pg_conninfo(), dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{target}"')
    try:
        env = dict(os.environ, DATABASE_URL=pg_url())
        path = _backup_while_writing(env, world, tmp_path / "backups")
        assert path.suffix == ".dump"
        restore_env = dict(os.environ, DATABASE_URL=pg_url().rsplit("/", 1)[0] + f"/{target}")
        code, out, err = _finish(_kopdig(restore_env, "restore", str(path), "--yes"))
        assert code == 0, err

        def sql(dbname):
            def run(query):
                with psycopg.connect(psycopg.conninfo.make_conninfo(pg_conninfo(), dbname=dbname)) as c:
                    return c.execute(query).fetchall()

            return run

        _check_restored(world, sql(source), sql(target), out)
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


@pytest.mark.django_db
def test_restore_needs_confirmation_and_an_existing_file(tmp_path):
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(tmp_path / "x.dump"))
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "x.dump"), "--yes")


def test_backup_names_are_timestamped():
    import datetime as dt

    moment = dt.datetime(2026, 12, 4, 2, 15, 0, tzinfo=dt.UTC)
    assert backup.backup_name("sqlite", moment) == "kopdig-20261204-021500.sqlite3"
    assert backup.backup_name("postgresql", moment) == "kopdig-20261204-021500.dump"
