"""Composite tenant foreign keys (cooperative_id, x_id) -> (cooperative_id, id) on PostgreSQL for
every foreign key of this app to a tenant table (architecture §4, kopdig.lib.migrations);
found missing by kopdig/tenancy/tests/test_tenant_key.py."""

from django.db import migrations

from kopdig.lib.migrations import TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [
        ("usaha", "0003_product_market_index"),
        ("members", "0004_tenant_foreign_keys"),
        ("ledger", "0006_period_and_tenant_keys"),
    ]

    operations = [
        TenantForeignKey("consignmentpayout", "entry"),
        TenantForeignKey("consignmentpayout", "member"),
        TenantForeignKey("inquiry", "product"),
        TenantForeignKey("product", "producer"),
        TenantForeignKey("productphoto", "product"),
        TenantForeignKey("purchase", "entry"),
        TenantForeignKey("purchase", "supplier_member"),
        TenantForeignKey("purchaseline", "product"),
        TenantForeignKey("purchaseline", "purchase"),
        TenantForeignKey("purchasepayment", "entry"),
        TenantForeignKey("purchasepayment", "purchase"),
        TenantForeignKey("sale", "buyer_member"),
        TenantForeignKey("sale", "entry"),
        TenantForeignKey("saleline", "consignor"),
        TenantForeignKey("saleline", "product"),
        TenantForeignKey("saleline", "sale"),
        TenantForeignKey("salepayment", "sale"),
        TenantForeignKey("salereturn", "entry"),
        TenantForeignKey("salereturn", "sale"),
        TenantForeignKey("salereturnline", "line"),
        TenantForeignKey("salereturnline", "sale_return"),
        TenantForeignKey("stockcount", "entry"),
        TenantForeignKey("stockcountline", "count"),
        TenantForeignKey("stockcountline", "product"),
        TenantForeignKey("stockmovement", "product"),
    ]
