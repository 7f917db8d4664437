"""Demo step: two years of savings for the showcase cooperatives, consistent with the books.

Walks the members demo's timeline month by month from the books' opening date to today:
founders' balances carried over from the old books (one opening entry), simpanan pokok on
admission, the month's wajib billing (the real billing run), wajib payments (cash at the
counter; at the employees' cooperative by payroll deduction), sukarela deposits and
withdrawals, a few time deposits and exits (the real actions), then the month's jasa run and
maturity run (the real runs).

Bulk path for the counter work: one journal entry per cooperative and day (through
``kopdig.ledger.posting.post``, so numbering, lines and month balances are what the actions
write) with one savings transaction and one kuitansi per member movement referencing it, the
balance caches and wajib dues updated in the same transaction. Idempotent: a cooperative that
already has savings transactions is left alone. Deterministic: seeded per cooperative.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kopdig import audit
from kopdig.audit.models import AuditLog
from kopdig.ledger.models import Account, JournalEntry, JournalLine
from kopdig.ledger.posting import LedgerError, Line, bump_balances, check_open, post
from kopdig.lib.dates import month_end
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO, q
from kopdig.members.actions import member_exit
from kopdig.members.demo import books_start
from kopdig.members.models import Member
from kopdig.tenancy.models import DocumentCounter, User
from kopdig.tenancy.numbering import format_number

from . import actions, runs
from .bulk import add_to_column, insert, insert_transactions
from .models import ACCOUNT_PREFIX, Due, Kind, Receipt, SavingsAccount, SavingsProduct, SavingsTransaction

PROFILES = {
    # pokok, wajib, per-class wajib, sukarela rate, admin fee, payroll, share with sukarela, time deposits,
    # service days (weekday numbers: the KSP counter opens Monday–Saturday, the employees' cooperative
    # on Monday and Friday, the women's cooperative at its Thursday group meeting)
    "ksp-sejahtera": dict(
        pokok=100_000,
        wajib=25_000,
        classes={},
        rate="3",
        fee=1_000,
        payroll=False,
        sukarela=0.6,
        berjangka=0.04,
        maturity="pay_out",
        days=(0, 1, 2, 3, 4, 5),
    ),
    "ksu-tunas-harapan": dict(
        pokok=50_000,
        wajib=20_000,
        classes={"Golongan I": "15000", "Golongan II": "20000", "Golongan III": "30000"},
        rate="2.5",
        fee=0,
        payroll=True,
        sukarela=0.45,
        berjangka=0.02,
        maturity="to_sukarela",
        days=(0, 4),
    ),
    "kopwan-srikandi": dict(
        pokok=25_000,
        wajib=10_000,
        classes={},
        rate="3",
        fee=500,
        payroll=False,
        sukarela=0.7,
        berjangka=0.02,
        maturity="roll_over",
        days=(3,),
    ),
}


def _months(start: dt.date, today: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (today.year, today.month):
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _round(amount, step=5000):
    return Decimal(max(step, int(amount) // step * step))


class Builder:
    def __init__(self, ctx, coop, profile):
        self.ctx, self.coop, self.p = ctx, coop, profile
        self.rng = random.Random(f"savings-{coop.slug}")
        self.kasir = User.objects.get(username=f"{coop.slug}-kasir")
        self.pengurus = User.objects.get(username=f"{coop.slug}-pengurus")
        self.start = books_start(ctx.today)
        self.last_day = ctx.today - dt.timedelta(days=1)
        self.accounts_by_key = {
            a.system_key: a for a in Account.objects.filter(cooperative=coop).exclude(system_key="")
        }

    # --- setup ------------------------------------------------------------------------------
    def products(self):
        actions.savings_products_setup(actor=self.pengurus, cooperative=self.coop)
        p = self.p
        actions.savings_product_update(
            actor=self.pengurus, cooperative=self.coop, code="pokok", amount=p["pokok"]
        )
        actions.savings_product_update(
            actor=self.pengurus,
            cooperative=self.coop,
            code="wajib",
            amount=p["wajib"],
            class_amounts=p["classes"],
        )
        actions.savings_product_update(
            actor=self.pengurus, cooperative=self.coop, code="sukarela", rate=p["rate"], admin_fee=p["fee"]
        )
        if SavingsProduct.objects.filter(cooperative=self.coop, code="berjangka-12").exists():
            actions.savings_product_update(
                actor=self.pengurus, cooperative=self.coop, code="berjangka-12", maturity_action=p["maturity"]
            )
        self.prod = {
            pr.kind: pr
            for pr in SavingsProduct.objects.filter(cooperative=self.coop)
            if pr.code in ("pokok", "wajib", "sukarela", "berjangka-12")
        }

    def accounts(self):
        rng = self.rng
        self.members = list(Member.objects.filter(cooperative=self.coop).order_by("number"))
        rows, n = [], 0
        self.sukarela_open = {}
        for m in self.members:
            for kind in (Kind.POKOK, Kind.WAJIB):
                n += 1
                rows.append(
                    SavingsAccount(
                        cooperative=self.coop,
                        member=m,
                        product=self.prod[kind],
                        kind=kind,
                        number=f"{ACCOUNT_PREFIX[kind]}-{n:06d}",
                        opened_on=m.joined_on,
                    )
                )
            if m.number == "00001" or rng.random() < self.p["sukarela"]:
                opened = m.joined_on + dt.timedelta(days=rng.randint(0, 200))
                if opened <= self.last_day:
                    n += 1
                    rows.append(
                        SavingsAccount(
                            cooperative=self.coop,
                            member=m,
                            product=self.prod[Kind.SUKARELA],
                            kind=Kind.SUKARELA,
                            number=f"{ACCOUNT_PREFIX[Kind.SUKARELA]}-{n:06d}",
                            opened_on=min(opened, self.last_day),
                        )
                    )
        with transaction.atomic():
            SavingsAccount.objects.bulk_create(rows, batch_size=1000)
            DocumentCounter.objects.update_or_create(
                cooperative=self.coop, series="savings_account", year=0, defaults={"last": n}
            )
        self.acc = defaultdict(dict)
        for a in SavingsAccount.objects.filter(cooperative=self.coop).select_related("product"):
            self.acc[a.member_id][a.kind] = a
        self.suk_bal = defaultdict(lambda: ZERO)

    def plans(self):
        rng = self.rng
        months = list(_months(self.start, self.ctx.today))
        self.habit, self.stop_at, self.exit_on, self.td_on = {}, {}, {}, {}
        for m in self.members:
            r = rng.random()
            self.habit[m.pk] = "ontime" if r < 0.8 else ("late" if r < 0.92 else "stop")
            if self.habit[m.pk] == "stop":
                self.stop_at[m.pk] = months[-min(len(months), rng.randint(2, 7))]
            if (
                m.number != "00001"
                and m.status == "aktif"
                and rng.random() < 0.012
                and m.joined_on < self.start
            ):
                self.exit_on[m.pk] = self.start + dt.timedelta(
                    days=rng.randint(60, max(61, (self.last_day - self.start).days - 10))
                )
            if Kind.BERJANGKA in self.prod and (rng.random() < self.p["berjangka"] or m.number == "00001"):
                day = max(m.joined_on, self.start) + dt.timedelta(days=rng.randint(20, 500))
                if day <= self.last_day and m.pk not in self.exit_on:
                    self.td_on[m.pk] = day

    # --- postings -----------------------------------------------------------------------------
    def _receipt_numbers(self, year, count):
        counter, _ = DocumentCounter.objects.get_or_create(
            cooperative=self.coop, series="kuitansi", year=year
        )
        first = counter.last + 1
        DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
        return [f"KW-{year}-{n:06d}" for n in range(first, first + count)]

    def _post_day(
        self, date, events, *, cash="kas", memo=None, receipt_type=None, source_type="savings.teller_day"
    ):
        """events: [(member, kind, signed amount, tx type, memo)] -> one journal entry now; its
        receipts (one per event, or one for the batch when receipt_type is given), savings
        transactions, balance caches and dues are written by ``_flush`` in the same (month)
        transaction."""
        if not events:
            return
        sums = defaultdict(lambda: [ZERO, ZERO])
        for _m, kind, amount, _t, _memo in events:
            key = self.prod[kind].ledger_key
            if amount > 0:
                sums[key][1] += amount
                sums[cash][0] += amount
            else:
                sums[key][0] += -amount
                sums[cash][1] += -amount
        lines = []
        for key, (d, c) in sums.items():
            if d:
                lines.append(Line(key, debit=d))
            if c:
                lines.append(Line(key, credit=c))
        text = memo or f"Transaksi kasir simpanan {tanggal(date)} ({len(events)} transaksi)"
        entry = self._entry(date, text, lines, source_type, len(events))
        if receipt_type:
            total = sum((a for _m, _k, a, _t, _x in events), ZERO)
            batch = Receipt(
                cooperative=self.coop,
                number="",
                date=date,
                type=receipt_type,
                member=None,
                amount=total,
                memo=text,
                cashier=self.kasir,
                entry=entry,
            )
            self.buf_receipts.append(batch)
            receipts = [batch] * len(events)
        else:
            receipts = [
                Receipt(
                    cooperative=self.coop,
                    number="",
                    date=date,
                    type=Receipt.Type.SETORAN if amount > 0 else Receipt.Type.PENARIKAN,
                    member=m,
                    amount=abs(amount),
                    memo=f"{x} {m.number} {m.name}",
                    cashier=self.kasir,
                    entry=entry,
                )
                for m, _k, amount, _t, x in events
            ]
            self.buf_receipts.extend(receipts)
        for (m, kind, amount, typ, x), receipt in zip(events, receipts, strict=True):
            acc = self.acc[m.pk][kind]
            self.buf_txs.append(
                (
                    SavingsTransaction(
                        cooperative=self.coop,
                        account=acc,
                        member=m,
                        kind=kind,
                        date=date,
                        type=typ,
                        amount=amount,
                        memo=f"{x} {m.number} {m.name}",
                        created_by=self.kasir,
                    ),
                    receipt,
                    entry,
                )
            )
            self.buf_deltas[acc.pk] += amount
            if kind == Kind.WAJIB and amount > 0:
                self.buf_wajib.append((acc, amount))

    def _entry(self, date, text, lines, source_type, n):
        """A journal entry as ``posting.post`` builds it (checked: balanced, open period, postable
        accounts), written by ``_flush_entries`` with its lines and month balances."""
        accounts = self.accounts_by_key
        rows = []
        for ln in lines:
            account = accounts[ln.account]
            if account.is_group or account.closed:
                raise LedgerError(f"Akun {account.code} tidak dapat diposting.")
            rows.append((account, q(ln.debit), q(ln.credit), ""))
        total = sum((d for _a, d, _c, _m in rows), ZERO)
        if total != sum((c for _a, _d, c, _m in rows), ZERO):
            raise LedgerError("Jurnal tidak seimbang.")
        check_open(self.coop, date)
        entry = JournalEntry(
            cooperative=self.coop,
            number="",
            date=date,
            memo=text[:255],
            source_type=source_type,
            source_ref=f"KASIR-{date:%Y%m%d}",
            total=total,
            posted_by=self.kasir,
        )
        self.buf_entries.append((entry, rows, n))
        return entry

    def _flush_entries(self):
        """Number the month's entries (gapless, in date order), write them, their lines, the day and
        month balances (``bump_balances``) and one audit row each, as ``journal_entry_post`` does."""
        if not self.buf_entries:
            return
        self.buf_entries.sort(key=lambda e: e[0].date)
        year = self.buf_entries[0][0].date.year
        counter, _ = DocumentCounter.objects.get_or_create(cooperative=self.coop, series="journal", year=year)
        DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(self.buf_entries))
        first = DocumentCounter.objects.get(pk=counter.pk).last - len(self.buf_entries) + 1
        for i, (entry, _rows, _n) in enumerate(self.buf_entries):
            entry.number = format_number(year, first + i)
        JournalEntry.objects.bulk_create([e for e, _r, _n in self.buf_entries])
        lines, day_rows = [], defaultdict(list)
        for entry, rows, _n in self.buf_entries:
            for account, debit, credit, memo in rows:
                lines.append(
                    JournalLine(
                        cooperative=self.coop,
                        entry=entry,
                        account=account,
                        date=entry.date,
                        debit=debit,
                        credit=credit,
                        memo=memo,
                    )
                )
                day_rows[entry.date].append((account, debit, credit))
        JournalLine.objects.bulk_create(lines, batch_size=1000)
        for day in sorted(day_rows):
            bump_balances(self.coop, day, day_rows[day])
        AuditLog.objects.bulk_create(
            [
                AuditLog(
                    actor=self.kasir,
                    cooperative=self.coop,
                    kabupaten_id=self.coop.kabupaten_id,
                    action="savings_teller_day",
                    object_type=JournalEntry._meta.label,
                    object_ref=e.number,
                    summary=e.memo,
                    after={"transactions": n, "total": str(e.total), "date": e.date.isoformat()},
                )
                for e, _r, n in self.buf_entries
            ]
        )

    def _flush(self):
        """Entries, receipts numbered in date order (gapless per year), transactions, caches, dues."""
        self._flush_entries()
        by_year = defaultdict(list)
        for r in sorted(self.buf_receipts, key=lambda r: r.date):
            by_year[r.date.year].append(r)
        for year, rows in by_year.items():
            for r, number in zip(rows, self._receipt_numbers(year, len(rows)), strict=True):
                r.number = number
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        insert(
            Receipt,
            [
                "cooperative",
                "number",
                "date",
                "type",
                "member",
                "amount",
                "memo",
                "cashier",
                "entry",
                "created_at",
            ],
            [
                (
                    self.coop.pk,
                    r.number,
                    r.date,
                    r.type,
                    r.member_id,
                    r.amount,
                    r.memo,
                    r.cashier_id,
                    r.entry.pk,
                    now,
                )
                for r in self.buf_receipts
            ],
        )
        ids = {}
        for rows in by_year.values():
            ids.update(
                Receipt.objects.filter(
                    cooperative=self.coop, number__gte=rows[0].number, number__lte=rows[-1].number
                ).values_list("number", "id")
            )
        txs = []
        for tx, receipt, entry in self.buf_txs:
            tx.receipt_id = ids[receipt.number]
            tx.entry_id = entry.pk
            txs.append(tx)
        insert_transactions(txs)
        runs.apply_deltas(list(self.buf_deltas.items()))
        self._allocate(self.buf_wajib)
        self._reset()

    def _reset(self):
        self.buf_receipts, self.buf_txs, self.buf_wajib, self.buf_entries = [], [], [], []
        self.buf_deltas = defaultdict(lambda: ZERO)

    def _allocate(self, payments):
        """services.allocate_wajib for many payments at once: oldest open dues first, rest as credit."""
        if not payments:
            return
        member_ids = [a.member_id for a, _ in payments]
        dues = defaultdict(list)
        for due in Due.objects.filter(
            cooperative=self.coop, member_id__in=member_ids, paid__lt=F("amount")
        ).order_by("period"):
            dues[due.member_id].append(due)
        changed, credit = [], {}
        for acc, amount in payments:
            left = amount
            for due in dues[acc.member_id]:
                if left <= 0:
                    break
                take = min(left, due.amount - due.paid)
                if take > 0:
                    due.paid += take
                    left -= take
                    changed.append(due)
            if left > 0:
                credit[acc.pk] = credit.get(acc.pk, ZERO) + left
        table = connection.ops.quote_name(Due._meta.db_table)
        with connection.cursor() as cursor:
            dues_rows = [
                (d.paid, d.pk) for d in sorted({d.pk: d for d in changed}.values(), key=lambda d: d.pk)
            ]
            if dues_rows:
                cursor.executemany(f"UPDATE {table} SET paid = %s WHERE id = %s", dues_rows)
        add_to_column(SavingsAccount, "wajib_credit", list(credit.items()))

    def opening(self):
        start, rng = self.start, self.rng
        events = []
        for m in self.members:
            if m.joined_on >= start:
                continue
            events.append(
                (m, Kind.POKOK, q(self.prod[Kind.POKOK].amount), "deposit", "Saldo awal simpanan pokok")
            )
            months = min(60, (start.year - m.joined_on.year) * 12 + start.month - m.joined_on.month)
            wajib = self.prod[Kind.WAJIB].wajib_amount(m.member_class) * months
            if wajib > 0:
                events.append((m, Kind.WAJIB, q(wajib), "deposit", "Saldo awal simpanan wajib"))
            suk = self.acc[m.pk].get(Kind.SUKARELA)
            if suk is not None and suk.opened_on < start:
                amount = _round(rng.lognormvariate(13.2, 0.9), 1000)
                self.suk_bal[suk.pk] += amount
                events.append((m, Kind.SUKARELA, amount, "deposit", "Saldo awal simpanan sukarela"))
        with transaction.atomic():
            self._opening_post(events)

    def _opening_post(self, events):
        sums = defaultdict(lambda: ZERO)
        for _m, kind, amount, _t, _x in events:
            sums[self.prod[kind].ledger_key] += amount
        lines = [Line("bank", debit=sum(sums.values(), ZERO))] + [Line(k, credit=v) for k, v in sums.items()]
        entry = post(
            cooperative=self.coop,
            date=self.start,
            memo="Saldo awal simpanan anggota dari pembukuan lama",
            actor=self.pengurus,
            source_type="savings.opening",
            source_ref="SALDO-AWAL",
            lines=lines,
        )
        txs, deltas = [], defaultdict(lambda: ZERO)
        for m, kind, amount, typ, x in events:
            acc = self.acc[m.pk][kind]
            txs.append(
                SavingsTransaction(
                    cooperative=self.coop,
                    account=acc,
                    member=m,
                    kind=kind,
                    date=self.start,
                    type=typ,
                    amount=amount,
                    memo=x,
                    entry=entry,
                    created_by=self.pengurus,
                )
            )
            deltas[acc.pk] += amount
        insert_transactions(txs)
        runs.apply_deltas(list(deltas.items()))
        audit.record(
            self.pengurus,
            "savings_opening_balances",
            cooperative=self.coop,
            obj=entry,
            ref=entry.number,
            summary=entry.memo,
            after={"transactions": len(txs), "total": entry.total},
        )

    # --- the month loop -------------------------------------------------------------------------
    def month(self, period):
        rng = self.rng
        end = month_end(period)
        last = min(end, self.last_day)
        if period <= self.last_day:
            actions.savings_run(actor=self.pengurus, cooperative=self.coop, kind="billing", period=period)
        by_day = defaultdict(list)
        payroll = []
        days = calendar.monthrange(period.year, period.month)[1]

        service = [
            period.replace(day=d)
            for d in range(1, days + 1)
            if period.replace(day=d).weekday() in self.p["days"]
        ]

        def day(lo=1, hi=days):
            """A service day of the month in [lo, hi] (the nearest one after lo, else the last)."""
            hi = min(hi, days)
            choices = [d for d in service if lo <= d.day <= hi] or [d for d in service if d.day >= lo]
            return rng.choice(choices) if choices else None

        for m in self.members:
            gone = self.exit_on.get(m.pk)
            if gone and gone <= end:  # nothing more from the month of the exit on
                continue
            if m.joined_on > last:
                continue
            accs = self.acc[m.pk]
            if period <= m.joined_on <= last and m.joined_on >= self.start:
                by_day[m.joined_on].append(
                    (m, Kind.POKOK, q(self.prod[Kind.POKOK].amount), "deposit", "Simpanan pokok")
                )
            wajib = self.prod[Kind.WAJIB].wajib_amount(m.member_class)
            habit = self.habit[m.pk]
            pay = None
            if habit == "stop" and period >= self.stop_at[m.pk]:
                pay = None
            elif habit == "late":
                pay = wajib * 2 if period.month % 2 == 0 else None
            else:
                pay = wajib
            if pay and m.status == "aktif":
                if self.p["payroll"] and habit != "stop" and m.pk % 20 and m.joined_on.day <= 25:
                    payroll.append((m, Kind.WAJIB, q(pay), "deposit", "Potong gaji simpanan wajib"))
                else:
                    when = day(max(1, m.joined_on.day if m.joined_on >= period else 1), 24)
                    if when:
                        by_day[when].append((m, Kind.WAJIB, q(pay), "deposit", "Setoran simpanan wajib"))
            suk = accs.get(Kind.SUKARELA)
            if suk is not None and suk.opened_on <= last and m.status == "aktif":
                when = day(suk.opened_on.day if suk.opened_on >= period else 1)
                if when and rng.random() < 0.35:
                    amount = _round(rng.lognormvariate(11.9, 0.8))
                    self.suk_bal[suk.pk] += amount
                    by_day[when].append((m, Kind.SUKARELA, amount, "deposit", "Setoran simpanan sukarela"))
                room = self.suk_bal[suk.pk] - self.prod[Kind.SUKARELA].min_balance
                if rng.random() < 0.15 and room >= 20_000:
                    amount = _round(room * Decimal(rng.uniform(0.1, 0.6)))
                    when = service[-1]  # after the month's deposits, never below the minimum
                    self.suk_bal[suk.pk] -= amount
                    by_day[when].append(
                        (m, Kind.SUKARELA, -amount, "withdrawal", "Penarikan simpanan sukarela")
                    )
        pay_day = period.replace(day=min(25, days))
        with transaction.atomic():  # the month's counter work: entries, receipts, transactions, caches, dues
            self._reset()
            for date in sorted(by_day):
                if date <= self.last_day:
                    self._post_day(date, by_day[date])
            if payroll and pay_day <= self.last_day:
                self._post_day(
                    pay_day,
                    payroll,
                    cash="bank",
                    receipt_type=Receipt.Type.POTONG_GAJI,
                    memo=f"Potong gaji simpanan wajib {period:%m/%Y} ({len(payroll)} anggota)",
                    source_type="savings.payroll",
                )
            self._flush()
        for m in self.members:
            td = self.td_on.get(m.pk)
            if td and period <= td <= last:
                amount = _round(rng.choice([5, 10, 15, 25, 50]) * Decimal(1_000_000))
                actions.savings_time_deposit_open(
                    actor=self.kasir,
                    cooperative=self.coop,
                    member_number=m.number,
                    product_code="berjangka-12",
                    amount=amount,
                    date=td,
                )
        for m in self.members:
            gone = self.exit_on.get(m.pk)
            if gone and period <= gone <= last:
                member_exit(
                    actor=self.pengurus,
                    cooperative=self.coop,
                    number=m.number,
                    date=gone,
                    reason=rng.choice(["Pindah domisili", "Permintaan sendiri", "Pensiun"]),
                )
        if end < self.ctx.today:
            fee = self.prod[Kind.SUKARELA].admin_fee
            for accs in self.acc.values():  # keep the tracked balance a lower bound of the real one
                if Kind.SUKARELA in accs:
                    self.suk_bal[accs[Kind.SUKARELA].pk] -= fee
            actions.savings_run(actor=self.pengurus, cooperative=self.coop, kind="interest", period=period)
            if Kind.BERJANGKA in self.prod:
                actions.savings_run(
                    actor=self.pengurus, cooperative=self.coop, kind="maturity", period=period
                )

    def build(self):
        self.products()
        self.accounts()
        self.plans()
        self.opening()
        for period in _months(self.start, self.ctx.today):
            self.month(period)


def run(ctx):
    for coop in ctx.showcase:
        profile = PROFILES.get(coop.slug)
        if profile is None:
            continue
        if SavingsTransaction.objects.filter(cooperative=coop).exists():
            continue
        if not Member.objects.filter(cooperative=coop).exists():
            ctx.log(f"  simpanan {coop.slug}: belum ada anggota (jalankan demo anggota dulu), dilewati")
            continue
        b = Builder(ctx, coop, profile)
        b.build()
        ctx.log(
            f"  simpanan {coop.slug}: {SavingsTransaction.objects.filter(cooperative=coop).count()} transaksi"
        )
