"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key between two tenant tables of this app (architecture §4, kopdig.lib.migrations)."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("savings", "0001_initial"), ("ledger", "0006_period_and_tenant_keys")]

    operations = [
        TenantForeignKey("due", "member"),
        TenantForeignKey("receipt", "entry"),
        TenantForeignKey("receipt", "member"),
        TenantForeignKey("savingsaccount", "member"),
        TenantForeignKey("savingsaccount", "product"),
        TenantForeignKey("savingstransaction", "account"),
        TenantForeignKey("savingstransaction", "entry"),
        TenantForeignKey("savingstransaction", "member"),
        TenantForeignKey("savingstransaction", "receipt"),
    ]
