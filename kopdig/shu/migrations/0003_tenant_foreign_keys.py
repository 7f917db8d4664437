"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key between two tenant tables of this app (architecture §4, kopdig.lib.migrations)."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("shu", "0002_transaksi_basis_usaha"), ("ledger", "0006_period_and_tenant_keys")]

    operations = [
        TenantForeignKey("membervolume", "member"),
        TenantForeignKey("shuallocationline", "shu_year"),
        TenantForeignKey("shumembershare", "journal_entry"),
        TenantForeignKey("shumembershare", "member"),
        TenantForeignKey("shumembershare", "shu_year"),
        TenantForeignKey("shuyear", "allocation_entry"),
        TenantForeignKey("shuyear", "closing_entry"),
    ]
