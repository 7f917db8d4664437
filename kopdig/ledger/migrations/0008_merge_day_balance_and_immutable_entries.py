from django.db import migrations


class Migration(migrations.Migration):
    """Joins the running day balances (issue 19) and the every-column immutability of posted
    entries (issue 11), written side by side; neither touches the other's objects."""

    dependencies = [
        ("ledger", "0007_account_day_balance"),
        ("ledger", "0007_safety_entry_every_column_immutable"),
    ]
    operations = []
