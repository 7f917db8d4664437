"""Test helpers for the SHU app: members, simpanan, book postings, volumes."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kopdig.lib.money import ZERO

_nik = itertools.count(1)


def last_year() -> int:
    return timezone.localdate().year - 1


def rat_date(year: int) -> dt.date:
    return min(timezone.localdate(), dt.date(year + 1, 3, 1))


def member(coop, number, *, name=None, joined_on=dt.date(2020, 1, 1), status="aktif", left_on=None):
    from kopdig.members.models import Member

    return Member.objects.create(
        cooperative=coop,
        number=number,
        nik=f"3513{next(_nik):012d}",
        name=name or f"Anggota {number}",
        gender="L",
        joined_on=joined_on,
        status=status,
        left_on=left_on,
    )


def post(coop, date, lines, memo="Transaksi uji", source_type="manual"):
    from kopdig.ledger.posting import Line, post

    with transaction.atomic():
        return post(
            cooperative=coop,
            date=date,
            memo=memo,
            source_type=source_type,
            lines=[Line(k, debit=Decimal(d), credit=Decimal(c)) for k, d, c in lines],
        )


def simpanan(coop, m, kind, amount, date):
    """A pokok/wajib deposit written like the savings module does (ledger + savings rows)."""
    from kopdig.ledger.posting import Line, post
    from kopdig.savings import _postings as services

    amount = Decimal(amount)
    with transaction.atomic():
        acc = services.account_of(coop, m, kind, date, lock=True)
        entry = post(
            cooperative=coop,
            date=date,
            memo=f"Setoran {kind} {m.number}",
            source_type="savings.deposit",
            lines=[Line("kas", debit=amount), Line(acc.product.ledger_key, credit=amount)],
        )
        services.record(account=acc, amount=amount, type="deposit", date=date, entry=entry)


def volume(coop, year, m, amount, kind="pembelian"):
    from kopdig.shu.models import MemberVolume

    MemberVolume.objects.create(cooperative=coop, year=year, member=m, kind=kind, amount=Decimal(amount))


def books(coop, year, *, revenue="3000000", expense="1000000", non_member="0"):
    """Income and expense of the year: SHU = revenue + non_member - expense."""
    post(
        coop,
        dt.date(year, 6, 30),
        [("kas", revenue, 0), ("pendapatan_jasa_pinjaman", 0, revenue)],
        "Jasa pinjaman",
    )
    if Decimal(non_member):
        post(
            coop,
            dt.date(year, 7, 31),
            [("kas", non_member, 0), ("pendapatan_bank", 0, non_member)],
            "Jasa bank",
        )
    post(coop, dt.date(year, 9, 30), [("beban_gaji", expense, 0), ("kas", 0, expense)], "Gaji")


def cache_problems(coop):
    from kopdig.ledger.selectors import verify

    return verify(coop)


def balance_sheet_total(coop, date):
    """Σ aset and Σ (kewajiban + ekuitas + pendapatan − beban) at the date (normal sides)."""
    from kopdig.ledger.models import Account
    from kopdig.ledger.selectors import balances_at

    types = dict(Account.objects.filter(cooperative=coop).values_list("id", "type"))
    bal = balances_at(coop, date)
    assets = sum((v for k, v in bal.items() if types[k] == "aset"), ZERO)
    equity = sum((v for k, v in bal.items() if types[k] in ("kewajiban", "ekuitas")), ZERO)
    return assets, equity
