"""A posted journal entry is immutable in every column (issue 11.3).

0004's trigger compared only the bookkeeping columns (number, date, total, memo, reversal_of):
``source_type``, ``source_ref``, ``posted_by``, ``approved_by`` and ``posted_at`` could still be
updated. The trigger now compares the whole row (``NEW IS DISTINCT FROM OLD``), so a column
added later is covered without another migration. Lines were already immutable in every column
(any UPDATE or DELETE of a line is refused). TRUNCATE stays allowed (test flushes, restore).

SQLite gets the same rule for entries (UPDATE refused; DELETE stays for the test flush).
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_journalentry_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger: posted journal entries cannot be deleted' USING ERRCODE = '55000';
    END IF;
    IF NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'ledger: posted journal entry % is immutable in every column (post a reversal instead)',
            OLD.number USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# 0004's narrower function, restored on the way back.
PG_BACKWARD = r"""
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
"""

SQLITE_FORWARD = """CREATE TRIGGER IF NOT EXISTS ledger_journalentry_immutable
    BEFORE UPDATE ON ledger_journalentry
    BEGIN SELECT RAISE(ABORT, 'ledger: posted journal entries are immutable (post a reversal instead)'); END;"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS ledger_journalentry_immutable;"


def _sql(schema_editor, pg, sqlite):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": pg, "sqlite": sqlite}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _sql(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _sql(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_period_and_tenant_keys")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
