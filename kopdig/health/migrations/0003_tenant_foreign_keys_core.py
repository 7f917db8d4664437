"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key of this app to a tenant table (architecture §4, kopdig.lib.migrations);
found missing by kopdig/tenancy/tests/test_tenant_key.py."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey, TenantUnique


class Migration(migrations.Migration):
    dependencies = [("health", "0002_shipped_rubrics"), ("members", "0004_tenant_foreign_keys")]

    operations = [
        TenantForeignKey("assessment", "examination"),
        TenantForeignKey("evidence", "examination"),
        TenantUnique("examination", "supersedes"),
        TenantForeignKey("examination", "supersedes"),
        TenantForeignKey("followup", "examination"),
    ]
