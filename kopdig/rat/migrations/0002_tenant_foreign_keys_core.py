"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key of this app to a tenant table (architecture §4, kopdig.lib.migrations);
found missing by kopdig/tenancy/tests/test_tenant_key.py."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("rat", "0001_initial"), ("members", "0004_tenant_foreign_keys")]

    operations = [
        TenantForeignKey("agendaitem", "meeting"),
        TenantForeignKey("agendaitem", "runoff_of"),
        TenantForeignKey("attendance", "meeting"),
        TenantForeignKey("attendance", "member"),
        TenantForeignKey("candidate", "item"),
        TenantForeignKey("candidate", "member"),
        TenantForeignKey("eligiblemember", "meeting"),
        TenantForeignKey("eligiblemember", "member"),
        TenantForeignKey("invitation", "meeting"),
        TenantForeignKey("invitation", "member"),
        TenantForeignKey("openvote", "candidate"),
        TenantForeignKey("openvote", "item"),
        TenantForeignKey("openvote", "member"),
        TenantForeignKey("rapbline", "meeting"),
        TenantForeignKey("reportsection", "meeting"),
        TenantForeignKey("secretballot", "candidate"),
        TenantForeignKey("secretballot", "item"),
        TenantForeignKey("turnout", "item"),
        TenantForeignKey("turnout", "member"),
    ]
