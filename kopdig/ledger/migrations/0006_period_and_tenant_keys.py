"""The database enforces the period lock, the line date and the immutability of every column
(issue 11.2/11.3), and the tenant key on the ledger's foreign keys (architecture §4).

PostgreSQL:
- a statement-level trigger on journal line inserts: the cooperative's period row is taken
  FOR SHARE (a concurrent close waits, a line never lands in a month closed meanwhile); a line
  dated on or before ``closed_through`` is refused; a line dated differently from its entry, or
  of another cooperative than its entry, is refused;
- the same period rule on journal entry inserts;
- composite foreign keys (cooperative_id, x_id) → (cooperative_id, id) on every foreign key
  between ledger tables, and the one-to-one fields' unique constraints include the cooperative.
Both databases: every cooperative with a chart of accounts has its period row (the lock a
posting takes must exist before the first close).
"""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey, TenantUnique

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_journalline_rules() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    PERFORM 1 FROM ledger_ledgersettings s
      WHERE s.cooperative_id IN (SELECT DISTINCT cooperative_id FROM new_lines)
      ORDER BY s.cooperative_id FOR SHARE;
    SELECT n.entry_id, n.date, s.closed_through INTO bad
      FROM new_lines n JOIN ledger_ledgersettings s ON s.cooperative_id = n.cooperative_id
     WHERE n.date <= s.closed_through LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: line of entry % dated % is inside the period closed through %',
            bad.entry_id, bad.date, bad.closed_through USING ERRCODE = '23514';
    END IF;
    SELECT n.entry_id, n.date, e.date AS entry_date INTO bad
      FROM new_lines n JOIN ledger_journalentry e ON e.id = n.entry_id
     WHERE n.date <> e.date OR n.cooperative_id <> e.cooperative_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: line of entry % dated % differs from its entry (% or another cooperative)',
            bad.entry_id, bad.date, bad.entry_date USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalline_rules
    AFTER INSERT ON ledger_journalline REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_journalline_rules();

CREATE OR REPLACE FUNCTION ledger_journalentry_open_period() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    PERFORM 1 FROM ledger_ledgersettings s
      WHERE s.cooperative_id IN (SELECT DISTINCT cooperative_id FROM new_entries)
      ORDER BY s.cooperative_id FOR SHARE;
    SELECT n.number, n.date, s.closed_through INTO bad
      FROM new_entries n JOIN ledger_ledgersettings s ON s.cooperative_id = n.cooperative_id
     WHERE n.date <= s.closed_through LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: journal entry % dated % is inside the period closed through %',
            bad.number, bad.date, bad.closed_through USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalentry_open_period
    AFTER INSERT ON ledger_journalentry REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_journalentry_open_period();

"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS ledger_journalline_rules ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_open_period ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_journalline_rules();
DROP FUNCTION IF EXISTS ledger_journalentry_open_period();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)


def period_rows(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    LedgerSettings = apps.get_model("ledger", "LedgerSettings")
    have = set(LedgerSettings.objects.values_list("cooperative_id", flat=True))
    coops = set(Account.objects.values_list("cooperative_id", flat=True).distinct()) - have
    LedgerSettings.objects.bulk_create(LedgerSettings(cooperative_id=c) for c in sorted(coops))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_line_coop_date_index")]

    operations = [
        migrations.RunPython(period_rows, migrations.RunPython.noop),
        migrations.RunPython(forward, backward, elidable=False),
        TenantForeignKey("account", "parent"),
        TenantForeignKey("accountmonthbalance", "account"),
        TenantForeignKey("journalentry", "reversal_of"),
        TenantForeignKey("journalline", "entry"),
        TenantForeignKey("journalline", "account"),
        TenantForeignKey("journaldraft", "entry"),
        TenantForeignKey("journaldraftline", "draft"),
        TenantForeignKey("journaldraftline", "account"),
        TenantUnique("journalentry", "reversal_of"),
        TenantUnique("journaldraft", "entry"),
    ]
