"""Database-level ledger integrity (architecture §3).

PostgreSQL:
- a deferred constraint trigger on ledger_journalline (insert/update/delete) that refuses to
  commit a transaction leaving any touched entry with Σdebit ≠ Σcredit, or with a header total
  different from Σdebit, or with fewer than two lines;
- the same check deferred on ledger_journalentry inserts (an entry without lines is refused);
- posted lines are immutable: UPDATE and DELETE of ledger_journalline rows are refused;
  a journal entry's bookkeeping fields cannot be changed and entries cannot be deleted.
SQLite: UPDATE of journal lines is refused (DELETE is left to the test flush, which uses it).
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_check_entry(eid bigint) RETURNS void AS $$
DECLARE
    d numeric; c numeric; n integer; t numeric;
BEGIN
    SELECT total INTO t FROM ledger_journalentry WHERE id = eid;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*) INTO d, c, n
      FROM ledger_journalline WHERE entry_id = eid;
    IF d <> c THEN
        RAISE EXCEPTION 'ledger: journal entry % is unbalanced (debit %, credit %)', eid, d, c
            USING ERRCODE = '23514';
    END IF;
    IF n < 2 THEN
        RAISE EXCEPTION 'ledger: journal entry % has % line(s), at least two are required', eid, n
            USING ERRCODE = '23514';
    END IF;
    IF t <> d THEN
        RAISE EXCEPTION 'ledger: journal entry % total % differs from its debits %', eid, t, d
            USING ERRCODE = '23514';
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION ledger_journalline_balanced() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM ledger_check_entry(OLD.entry_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM ledger_check_entry(NEW.entry_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_journalline_balanced
    AFTER INSERT OR UPDATE OR DELETE ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_journalline_balanced();

CREATE OR REPLACE FUNCTION ledger_journalentry_balanced() RETURNS trigger AS $$
BEGIN
    PERFORM ledger_check_entry(NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_journalentry_balanced
    AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_journalentry_balanced();

CREATE OR REPLACE FUNCTION ledger_journalline_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger: posted journal lines are immutable (post a reversal instead)'
        USING ERRCODE = '55000';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalline_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_journalline_immutable();

CREATE OR REPLACE FUNCTION ledger_journalentry_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger: posted journal entries cannot be deleted' USING ERRCODE = '55000';
    END IF;
    IF NEW.cooperative_id <> OLD.cooperative_id OR NEW.number <> OLD.number OR NEW.date <> OLD.date
       OR NEW.total <> OLD.total OR NEW.memo <> OLD.memo
       OR NEW.reversal_of_id IS DISTINCT FROM OLD.reversal_of_id THEN
        RAISE EXCEPTION 'ledger: posted journal entries are immutable (post a reversal instead)'
            USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalentry_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_journalentry_immutable();
"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS ledger_journalentry_immutable ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_journalline_immutable ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_balanced ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_journalline_balanced ON ledger_journalline;
DROP FUNCTION IF EXISTS ledger_journalentry_immutable();
DROP FUNCTION IF EXISTS ledger_journalline_immutable();
DROP FUNCTION IF EXISTS ledger_journalentry_balanced();
DROP FUNCTION IF EXISTS ledger_journalline_balanced();
DROP FUNCTION IF EXISTS ledger_check_entry(bigint);
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS ledger_journalline_immutable
    BEFORE UPDATE ON ledger_journalline
    BEGIN SELECT RAISE(ABORT, 'ledger: posted journal lines are immutable (post a reversal instead)'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS ledger_journalline_immutable;"]


def _run(schema_editor, statements):
    # A plain cursor without parameters: the PL/pgSQL bodies contain '%' and several statements.
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_FORWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_BACKWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_journal_draft")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
