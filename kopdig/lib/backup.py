"""Backup and restore of the whole database (``kopdig backup`` / ``kopdig restore``).

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live database in one
step under one read transaction, so the copy is one consistent snapshot of the committed data
even while the server writes (WAL: writers are not blocked meanwhile). The file is
written beside its final name and renamed when complete, so a crash never leaves a half file
under a backup's name.

PostgreSQL: ``pg_dump -Fc`` (one repeatable-read snapshot, the server keeps running) and
``pg_restore --clean --if-exists --single-transaction`` (all or nothing).

    path = backup.create(connection, directory)          # kopdig-20261204-021500.sqlite3 / .dump
    backup.restore(connection, path)                     # replaces the database's contents

Both take Django's connection (its settings name the database); neither checks the books —
the restore command runs ``kopdig ledger verify`` afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path


class BackupError(Exception):
    pass


SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


def backup_name(vendor: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"kopdig-{now:%Y%m%d-%H%M%S}{SUFFIX[vendor]}"


def _vendor(connection) -> str:
    if connection.vendor not in SUFFIX:
        raise BackupError(f"database {connection.vendor} is not supported (SQLite or PostgreSQL)")
    return connection.vendor


def create(connection, directory, *, now: dt.datetime | None = None) -> Path:
    """Write a timestamped backup of the connection's database into ``directory``."""
    vendor = _vendor(connection)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / backup_name(vendor, now)
    if final.exists():
        raise BackupError(f"{final} exists already")
    partial = final.with_name(final.name + ".part")
    try:
        if vendor == "sqlite":
            _sqlite_backup(connection, partial)
        else:
            _pg_dump(connection, partial)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def restore(connection, path) -> None:
    """Replace the contents of the connection's database with the backup at ``path``."""
    vendor = _vendor(connection)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    if vendor == "sqlite":
        _sqlite_restore(connection, path)
    else:
        _pg_restore(connection, path)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(connection, target: Path) -> None:
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)  # one step: a consistent snapshot (retries while busy)
        (ok,) = dst.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise BackupError(f"the copy fails its integrity check: {ok}")
    finally:
        dst.close()


def _sqlite_restore(connection, path: Path) -> None:
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (ok,) = src.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise BackupError(f"{path} fails its integrity check: {ok}")
        connection.ensure_connection()
        src.backup(connection.connection)  # the live database takes the copy's pages, atomically
    finally:
        src.close()
    connection.close()  # the next query opens the restored database afresh


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_args(connection) -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"], "--no-password"]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return path


def _run(cmd, env) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed ({proc.returncode}): {proc.stderr.strip()}")


def _pg_dump(connection, target: Path) -> None:
    args, env = _pg_args(connection)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args], env)


def _pg_restore(connection, path: Path) -> None:
    connection.close()  # our own session must not hold locks on the tables being replaced
    args, env = _pg_args(connection)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ],
        env,
    )
