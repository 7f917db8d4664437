"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key between two tenant tables of this app (architecture §4, kopdig.lib.migrations)."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("members", "0003_memberstatuschange"), ("ledger", "0006_period_and_tenant_keys")]

    operations = [
        TenantForeignKey("memberstatuschange", "member"),
    ]
