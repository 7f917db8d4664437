"""``kopdig ledger verify`` for savings (registered in ``SavingsConfig.ready``): every account's
balance equals Σ its transactions, and per ledger account the Σ of the product balances equals
the control account in the ledger (Σ of its journal lines)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from kopdig.ledger.verifiers import account_balances
from kopdig.lib.money import ZERO, q

from .models import SavingsAccount, SavingsTransaction


def verify_savings(cooperative) -> list[str]:
    problems = []
    sums = dict(
        SavingsTransaction.objects.filter(cooperative=cooperative)
        .values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    by_key = defaultdict(lambda: ZERO)
    accounts = SavingsAccount.objects.filter(cooperative=cooperative).values_list(
        "pk", "number", "balance", "product__ledger_key"
    )
    for pk, number, balance, key in accounts:
        source = q(sums.get(pk) or ZERO)
        if balance != source:
            problems.append(f"{cooperative.slug}: simpanan {number} saldo {balance} ≠ Σ transaksi {source}")
        by_key[key] += source
    ledger = account_balances(cooperative, by_key)
    for key in sorted(by_key):
        if ledger.get(key, ZERO) != by_key[key]:
            problems.append(
                f"{cooperative.slug}: akun {key} di buku besar {ledger.get(key, ZERO)} ≠ "
                f"Σ saldo simpanan {by_key[key]}"
            )
    return problems
