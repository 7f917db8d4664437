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

from django.db import transaction
from django.db.models import F

from kopdig import audit
from kopdig.ledger.models import Account
from kopdig.ledger.posting import Line, post
from kopdig.lib.money import ZERO, q
from kopdig.members.demo import books_start
from kopdig.members.models import Member
from kopdig.tenancy.models import DocumentCounter, User

from . import actions, runs
from .models import ACCOUNT_PREFIX, Due, Kind, Receipt, SavingsAccount, SavingsProduct, SavingsTransaction

PROFILES = {
    # pokok, wajib, per-class wajib, sukarela rate, admin fee, payroll, share with sukarela, time deposits
    "ksp-sejahtera": dict(pokok=100_000, wajib=25_000, classes={}, rate="3", fee=1_000, payroll=False,
                          sukarela=0.6, berjangka=0.04, maturity="pay_out"),
    "ksu-tunas-harapan": dict(pokok=50_000, wajib=20_000, classes={"Golongan I": "15000", "Golongan II": "20000",
                                                                  "Golongan III": "30000"},
                              rate="2.5", fee=0, payroll=True, sukarela=0.45, berjangka=0.02, maturity="to_sukarela"),
    "kopwan-srikandi": dict(pokok=25_000, wajib=10_000, classes={}, rate="3", fee=500, payroll=False,
                            sukarela=0.7, berjangka=0.02, maturity="roll_over"),
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
        self.keys = set(Account.objects.filter(cooperative=coop).exclude(system_key="").values_list("system_key", flat=True))

    # --- setup ------------------------------------------------------------------------------
    def products(self):
        actions.savings_products_setup(actor=self.pengurus, cooperative=self.coop)
        p = self.p
        actions.savings_product_update(actor=self.pengurus, cooperative=self.coop, code="pokok", amount=p["pokok"])
        actions.savings_product_update(actor=self.pengurus, cooperative=self.coop, code="wajib", amount=p["wajib"],
                                       class_amounts=p["classes"])
        actions.savings_product_update(actor=self.pengurus, cooperative=self.coop, code="sukarela", rate=p["rate"],
                                       admin_fee=p["fee"])
        if SavingsProduct.objects.filter(cooperative=self.coop, code="berjangka-12").exists():
            actions.savings_product_update(actor=self.pengurus, cooperative=self.coop, code="berjangka-12",
                                           maturity_action=p["maturity"])
        self.prod = {pr.kind: pr for pr in SavingsProduct.objects.filter(cooperative=self.coop)
                     if pr.code in ("pokok", "wajib", "sukarela", "berjangka-12")}

    def accounts(self):
        rng = self.rng
        self.members = list(Member.objects.filter(cooperative=self.coop).order_by("number"))
        rows, n = [], 0
        self.sukarela_open = {}
        for m in self.members:
            for kind in (Kind.POKOK, Kind.WAJIB):
                n += 1
                rows.append(SavingsAccount(cooperative=self.coop, member=m, product=self.prod[kind], kind=kind,
                                           number=f"{ACCOUNT_PREFIX[kind]}-{n:06d}", opened_on=m.joined_on))
            if m.number == "00001" or rng.random() < self.p["sukarela"]:
                opened = m.joined_on + dt.timedelta(days=rng.randint(0, 200))
                if opened <= self.last_day:
                    n += 1
                    rows.append(SavingsAccount(cooperative=self.coop, member=m, product=self.prod[Kind.SUKARELA],
                                               kind=Kind.SUKARELA, number=f"{ACCOUNT_PREFIX[Kind.SUKARELA]}-{n:06d}",
                                               opened_on=min(opened, self.last_day)))
        with transaction.atomic():
            SavingsAccount.objects.bulk_create(rows, batch_size=1000)
            DocumentCounter.objects.update_or_create(cooperative=self.coop, series="savings_account", year=0,
                                                     defaults={"last": n})
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
            if m.number != "00001" and m.status == "aktif" and rng.random() < 0.012 and m.joined_on < self.start:
                self.exit_on[m.pk] = self.start + dt.timedelta(days=rng.randint(60, max(61, (self.last_day - self.start).days - 10)))
            if Kind.BERJANGKA in self.prod and (rng.random() < self.p["berjangka"] or m.number == "00001"):
                day = max(m.joined_on, self.start) + dt.timedelta(days=rng.randint(20, 500))
                if day <= self.last_day and m.pk not in self.exit_on:
                    self.td_on[m.pk] = day

    # --- postings -----------------------------------------------------------------------------
    def _receipt_numbers(self, year, count):
        counter, _ = DocumentCounter.objects.get_or_create(cooperative=self.coop, series="kuitansi", year=year)
        first = counter.last + 1
        DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
        return [f"KW-{year}-{n:06d}" for n in range(first, first + count)]

    def _post_day(self, date, events, *, cash="kas", memo=None, receipt_type=None, source_type="savings.teller_day"):
        """events: [(member, kind, signed amount, tx type, memo)] -> one entry, one receipt per event
        (or one receipt for the batch when receipt_type is given), txs, caches, dues."""
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
        with transaction.atomic():
            text = memo or f"Transaksi kasir simpanan {date:%d-%m-%Y} ({len(events)} transaksi)"
            entry = post(cooperative=self.coop, date=date, memo=text, actor=self.kasir, source_type=source_type,
                         source_ref=f"KASIR-{date:%Y%m%d}", lines=lines)
            if receipt_type:
                total = sum((a for _m, _k, a, _t, _x in events), ZERO)
                number = self._receipt_numbers(date.year, 1)[0]
                batch = Receipt.objects.create(cooperative=self.coop, number=number, date=date, type=receipt_type,
                                               member=None, amount=total, memo=text, cashier=self.kasir, entry=entry)
                receipts = [batch] * len(events)
            else:
                numbers = self._receipt_numbers(date.year, len(events))
                receipts = Receipt.objects.bulk_create([
                    Receipt(cooperative=self.coop, number=number, date=date,
                            type=Receipt.Type.SETORAN if amount > 0 else Receipt.Type.PENARIKAN, member=m,
                            amount=abs(amount), memo=f"{x} {m.number} {m.name}", cashier=self.kasir, entry=entry)
                    for number, (m, _k, amount, _t, x) in zip(numbers, events, strict=True)])
            txs, deltas, wajib = [], defaultdict(lambda: ZERO), []
            for (m, kind, amount, typ, x), receipt in zip(events, receipts, strict=True):
                acc = self.acc[m.pk][kind]
                txs.append(SavingsTransaction(cooperative=self.coop, account=acc, member=m, kind=kind, date=date,
                                              type=typ, amount=amount, memo=f"{x} {m.number} {m.name}", entry=entry,
                                              receipt=receipt, created_by=self.kasir))
                deltas[acc.pk] += amount
                if kind == Kind.WAJIB and amount > 0:
                    wajib.append((acc, amount))
            SavingsTransaction.objects.bulk_create(txs, batch_size=1000)
            runs.apply_deltas(list(deltas.items()))
            self._allocate(wajib)
            audit.record(self.kasir, "savings_teller_day", cooperative=self.coop, obj=entry, ref=entry.number,
                         summary=text, after={"transactions": len(events), "total": entry.total})

    def _allocate(self, payments):
        """services.allocate_wajib for many payments at once: oldest open dues first, rest as credit."""
        if not payments:
            return
        member_ids = [a.member_id for a, _ in payments]
        dues = defaultdict(list)
        for due in Due.objects.filter(cooperative=self.coop, member_id__in=member_ids, paid__lt=F("amount")).order_by("period"):
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
        Due.objects.bulk_update(list({d.pk: d for d in changed}.values()), ["paid"], batch_size=1000)
        for acc_id, amount in credit.items():
            SavingsAccount.objects.filter(pk=acc_id).update(wajib_credit=F("wajib_credit") + amount)

    def opening(self):
        start, rng = self.start, self.rng
        events = []
        for m in self.members:
            if m.joined_on >= start:
                continue
            events.append((m, Kind.POKOK, q(self.prod[Kind.POKOK].amount), "deposit", "Saldo awal simpanan pokok"))
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
        entry = post(cooperative=self.coop, date=self.start, memo="Saldo awal simpanan anggota dari pembukuan lama",
                     actor=self.pengurus, source_type="savings.opening", source_ref="SALDO-AWAL", lines=lines)
        txs, deltas = [], defaultdict(lambda: ZERO)
        for m, kind, amount, typ, x in events:
            acc = self.acc[m.pk][kind]
            txs.append(SavingsTransaction(cooperative=self.coop, account=acc, member=m, kind=kind, date=self.start,
                                          type=typ, amount=amount, memo=x, entry=entry, created_by=self.pengurus))
            deltas[acc.pk] += amount
        SavingsTransaction.objects.bulk_create(txs, batch_size=1000)
        runs.apply_deltas(list(deltas.items()))
        audit.record(self.pengurus, "savings_opening_balances", cooperative=self.coop, obj=entry, ref=entry.number,
                     summary=entry.memo, after={"transactions": len(txs), "total": entry.total})

    # --- the month loop -------------------------------------------------------------------------
    def month(self, period):
        rng = self.rng
        end = runs.period_end(period)
        last = min(end, self.last_day)
        if period <= self.last_day:
            runs.savings_run(actor=self.pengurus, cooperative=self.coop, kind="billing", period=period)
        by_day = defaultdict(list)
        payroll = []
        days = calendar.monthrange(period.year, period.month)[1]

        def day(lo=1, hi=days):
            hi = min(hi, days)
            return period.replace(day=rng.randint(min(lo, hi), hi))

        for m in self.members:
            gone = self.exit_on.get(m.pk)
            if gone and gone <= end:  # nothing more from the month of the exit on
                continue
            if m.joined_on > last:
                continue
            accs = self.acc[m.pk]
            if period <= m.joined_on <= last and m.joined_on >= self.start:
                by_day[m.joined_on].append((m, Kind.POKOK, q(self.prod[Kind.POKOK].amount), "deposit", "Simpanan pokok"))
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
                if self.p["payroll"] and habit != "stop" and m.pk % 20:
                    payroll.append((m, Kind.WAJIB, q(pay), "deposit", "Potong gaji simpanan wajib"))
                else:
                    when = day(max(1, m.joined_on.day if m.joined_on >= period else 1), 24)
                    by_day[when].append((m, Kind.WAJIB, q(pay), "deposit", "Setoran simpanan wajib"))
            suk = accs.get(Kind.SUKARELA)
            if suk is not None and suk.opened_on <= last and m.status == "aktif":
                if rng.random() < 0.35:
                    when = day(suk.opened_on.day if suk.opened_on >= period else 1)
                    amount = _round(rng.lognormvariate(11.9, 0.8))
                    self.suk_bal[suk.pk] += amount
                    by_day[when].append((m, Kind.SUKARELA, amount, "deposit", "Setoran simpanan sukarela"))
                room = self.suk_bal[suk.pk] - self.prod[Kind.SUKARELA].min_balance
                if rng.random() < 0.15 and room >= 20_000:
                    amount = _round(room * Decimal(rng.uniform(0.1, 0.6)))
                    when = period.replace(day=days)  # after the month's deposits, never below the minimum
                    self.suk_bal[suk.pk] -= amount
                    by_day[when].append((m, Kind.SUKARELA, -amount, "withdrawal", "Penarikan simpanan sukarela"))
        for date in sorted(by_day):
            if date <= self.last_day:
                self._post_day(date, by_day[date])
        pay_day = period.replace(day=min(25, days))
        if payroll and pay_day <= self.last_day:
            self._post_day(pay_day, payroll, cash="bank", receipt_type=Receipt.Type.POTONG_GAJI,
                           memo=f"Potong gaji simpanan wajib {period:%m/%Y} ({len(payroll)} anggota)",
                           source_type="savings.payroll")
        for m in self.members:
            td = self.td_on.get(m.pk)
            if td and period <= td <= last:
                amount = _round(rng.choice([5, 10, 15, 25, 50]) * Decimal(1_000_000))
                actions.savings_time_deposit_open(actor=self.kasir, cooperative=self.coop, member_number=m.number,
                                                  product_code="berjangka-12", amount=amount, date=td)
        for m in self.members:
            gone = self.exit_on.get(m.pk)
            if gone and period <= gone <= last:
                from kopdig.members.actions import member_exit

                member_exit(actor=self.pengurus, cooperative=self.coop, number=m.number, date=gone,
                            reason=rng.choice(["Pindah domisili", "Permintaan sendiri", "Pensiun"]))
        if end < self.ctx.today:
            fee = self.prod[Kind.SUKARELA].admin_fee
            for accs in self.acc.values():  # keep the tracked balance a lower bound of the real one
                if Kind.SUKARELA in accs:
                    self.suk_bal[accs[Kind.SUKARELA].pk] -= fee
            runs.savings_run(actor=self.pengurus, cooperative=self.coop, kind="interest", period=period)
            if Kind.BERJANGKA in self.prod:
                runs.savings_run(actor=self.pengurus, cooperative=self.coop, kind="maturity", period=period)

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
            ctx.log(f"  savings {coop.slug}: no members (run the members demo first), skipped")
            continue
        b = Builder(ctx, coop, profile)
        b.build()
        ctx.log(f"  savings {coop.slug}: {SavingsTransaction.objects.filter(cooperative=coop).count()} transaksi")

