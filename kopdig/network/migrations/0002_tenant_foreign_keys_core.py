"""Composite tenant foreign key (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
this app's foreign key to a tenant table (architecture §4, kopdig.lib.migrations). The table
is keyed by kabupaten and its cooperative_id is optional: a row that names a cooperative
points only at that cooperative's rows (MATCH SIMPLE leaves rows without one unchecked)."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial"), ("usaha", "0004_tenant_foreign_keys_core")]

    operations = [
        TenantForeignKey("listing", "product"),
    ]
