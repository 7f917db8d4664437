"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key between two tenant tables of this app (architecture §4, kopdig.lib.migrations)."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial"), ("ledger", "0006_period_and_tenant_keys")]

    operations = [
        TenantForeignKey("arrearsrun", "reserve_entry"),
        TenantForeignKey("installment", "loan"),
        TenantForeignKey("loan", "disbursement_entry"),
        TenantForeignKey("loan", "member"),
        TenantForeignKey("loan", "product"),
        TenantForeignKey("loancollateral", "loan"),
        TenantForeignKey("loanguarantor", "loan"),
        TenantForeignKey("loanguarantor", "member"),
        TenantForeignKey("repayment", "entry"),
        TenantForeignKey("repayment", "loan"),
        TenantForeignKey("repayment", "reversal_entry"),
    ]
