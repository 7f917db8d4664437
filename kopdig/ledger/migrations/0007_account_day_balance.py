"""Running balances per account and day (``AccountDayBalance``), computed from the lines of
existing books; the tenant key on its account foreign key (PostgreSQL)."""

from decimal import ROUND_HALF_UP

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum

from kopdig.lib.migrations import TenantForeignKey


def _sen(amount) -> int:
    """An SQL SUM of rupiah as integer sen (SQLite sums in floating point: round to the sen)."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def backfill(apps, schema_editor):
    JournalLine = apps.get_model("ledger", "JournalLine")
    AccountDayBalance = apps.get_model("ledger", "AccountDayBalance")
    totals: dict = {}
    rows = []
    days = (
        JournalLine.objects.values("cooperative_id", "account_id", "date")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("cooperative_id", "account_id", "date")
        .values_list("cooperative_id", "account_id", "date", "d", "c")
    )
    for coop_id, account_id, date, d, c in days.iterator(chunk_size=5000):
        key = (coop_id, account_id)
        td, tc = totals.get(key, (0, 0))
        td, tc = td + _sen(d), tc + _sen(c)
        totals[key] = (td, tc)
        rows.append(
            AccountDayBalance(
                cooperative_id=coop_id, account_id=account_id, date=date, debit_to_date=td, credit_to_date=tc
            )
        )
        if len(rows) >= 5000:
            AccountDayBalance.objects.bulk_create(rows)
            rows = []
    AccountDayBalance.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0006_period_and_tenant_keys'),
        ('tenancy', '0002_cooperative_event_days_ahead'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountDayBalance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('debit_to_date', models.BigIntegerField(default=0)),
                ('credit_to_date', models.BigIntegerField(default=0)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='day_balances', to='ledger.account')),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.cooperative')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('cooperative', 'account', 'date'), name='day_balance_unique')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        TenantForeignKey("accountdaybalance", "account"),
    ]
