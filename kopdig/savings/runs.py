"""Monthly savings runs: wajib billing, sukarela jasa (interest, tax, admin fee), berjangka maturity.

A run is one row per cooperative + kind + period (unique). It is idempotent (a finished run
does nothing; each account or member is done at most once, enforced by unique constraints),
resumable (work is committed in chunks, each chunk a durable transaction that also stores the
progress) and reports its progress on the row, so a page can show it.

Interest posting: each chunk of members is one journal entry (Dr beban_jasa_simpanan, Cr
utang_pajak, Cr simpanan_sukarela; admin fees Dr simpanan_sukarela / Cr pendapatan admin) with
one savings transaction per account and kind of movement referencing it, so the ledger and
every passbook agree while a 100,000-member run stays within a minute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from kopdig import audit
from kopdig.ledger.posting import Line, post
from kopdig.lib.dates import add_months, month_end
from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, q, split
from kopdig.lib.transactions import action_atomic
from kopdig.members.models import Member

from . import _postings as services
from .bulk import TX_FIELDS, add_to_balances, insert
from .interest import account_interest, member_tax
from .models import Due, Kind, Receipt, Run, SavingsAccount, SavingsProduct, SavingsTransaction
from .selectors import admin_fee_key

CHUNK = 2000


class Acc(NamedTuple):
    """The few fields of an account the interest run needs (no model instances for 100,000 rows)."""

    pk: int
    member_id: int
    kind: str
    product: SavingsProduct


class RunError(DomainError):
    pass


def parse_period(text: str) -> dt.date:
    try:
        year, month = (int(x) for x in str(text).split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise RunError(f"Periode '{text}' tidak valid (contoh: 2025-03).") from None


# --- run bookkeeping ------------------------------------------------------------------------


def check_period(kind: str, period: dt.date) -> None:
    if kind == Run.Kind.INTEREST and month_end(period) >= timezone.localdate():
        raise RunError("Jasa simpanan dihitung setelah bulannya berakhir.")
    if kind == Run.Kind.MATURITY and period > timezone.localdate():
        raise RunError("Bulan ini belum dimulai.")


def _progress(run: Run, *, done_add=0, amount_add=ZERO, **fields):
    updates = {"done": F("done") + done_add, "amount": F("amount") + amount_add, **fields}
    Run.objects.filter(pk=run.pk).update(**updates)


# PostgreSQL advisory lock class of a run in progress (key: the run's id).
RUN_LOCK = 7302


@contextmanager
def _one_worker(run: Run):
    """One worker at a time per run on PostgreSQL: a session advisory lock, released when the
    worker finishes or dies (kill -9 ends its session), so a second concurrent run of the same
    period waits, then finds the run done. SQLite serialises the chunks' transactions, and each
    chunk re-reads what is already done inside its transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK, run.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK, run.pk])


def execute(run: Run, *, actor) -> Run:
    """Run (or resume) ``run`` to completion. Safe to call again: a done run returns at once;
    a run in progress elsewhere is waited for."""
    with _one_worker(run):
        return _execute(run, actor)


def _execute(run: Run, actor) -> Run:
    run.refresh_from_db()
    if run.status == Run.Status.DONE:
        return run
    check_period(run.kind, run.period)
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, started_at=timezone.now(), error="")
    try:
        {"billing": _billing, "interest": _interest, "maturity": _maturity}[run.kind](run, actor)
    except Exception as exc:
        Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, error=str(exc)[:2000])
        raise
    Run.objects.filter(pk=run.pk).update(status=Run.Status.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run


# --- billing --------------------------------------------------------------------------------


def _billing(run: Run, actor):
    coop, period = run.cooperative, run.period
    end = month_end(period)
    with action_atomic():
        product = services.product_for(coop, Kind.WAJIB)
    members = list(
        Member.objects.filter(cooperative=coop, status=Member.Status.AKTIF, joined_on__lte=end)
        .order_by("id")
        .values_list("id", "member_class")
    )
    Run.objects.filter(pk=run.pk).update(total=len(members))
    billed = set(Due.objects.filter(cooperative=coop, period=period).values_list("member_id", flat=True))
    todo = [(m, c) for m, c in members if m not in billed]
    Run.objects.filter(pk=run.pk).update(done=len(members) - len(todo))
    for i in range(0, len(todo), CHUNK * 5):
        chunk = todo[i : i + CHUNK * 5]
        with action_atomic():
            done = set(
                Due.objects.filter(
                    cooperative=coop, period=period, member_id__in=[m for m, _ in chunk]
                ).values_list("member_id", flat=True)
            )
            chunk = [(m, c) for m, c in chunk if m not in done]  # billed by a concurrent run meanwhile
            ids = [m for m, _ in chunk]
            credits = {
                a.member_id: a
                for a in SavingsAccount.objects.select_for_update()
                .filter(
                    cooperative=coop, kind=Kind.WAJIB, status="aktif", member_id__in=ids, wajib_credit__gt=0
                )
                .order_by("id")
            }
            dues, touched, total = [], [], ZERO
            for member_id, member_class in chunk:
                amount = product.wajib_amount(member_class)
                if amount <= 0:
                    continue
                paid = ZERO
                acc = credits.get(member_id)
                if acc is not None:
                    paid = min(amount, acc.wajib_credit)
                    acc.wajib_credit -= paid
                    touched.append(acc)
                dues.append((coop.pk, member_id, period, amount, paid))
                total += amount
            insert(Due, ["cooperative", "member", "period", "amount", "paid"], dues)
            if touched:
                SavingsAccount.objects.bulk_update(touched, ["wajib_credit"], batch_size=1000)
            _progress(run, done_add=len(chunk), amount_add=total)


# --- interest (jasa simpanan sukarela) -----------------------------------------------------


def _interest(run: Run, actor):
    coop, period = run.cooperative, run.period
    end = month_end(period)
    products = {p.pk: p for p in SavingsProduct.objects.filter(cooperative=coop, kind=Kind.SUKARELA)}
    accounts = [
        Acc(pk, member_id, Kind.SUKARELA, products[product_id])
        for pk, member_id, product_id in SavingsAccount.objects.filter(
            cooperative=coop, kind=Kind.SUKARELA, opened_on__lte=end, status="aktif"
        )
        .order_by("member_id", "id")
        .values_list("id", "member_id", "product_id")
    ]
    Run.objects.filter(pk=run.pk).update(total=len(accounts))
    done = set(
        SavingsTransaction.objects.filter(
            cooperative=coop, kind=Kind.SUKARELA, period=period, type__in=["interest", "admin_fee", "tax"]
        ).values_list("account_id", flat=True)
    )
    # Accounts without jasa or fee in a previous attempt leave no row; a marker-free rerun
    # recomputes them to zero, which posts nothing, so skipping only the done ones is exact.
    todo = [a for a in accounts if a.pk not in done]
    Run.objects.filter(pk=run.pk).update(done=len(accounts) - len(todo))
    ids = [a.pk for a in todo]
    opening = {}
    moves = defaultdict(list)
    for i in range(0, len(ids), 20000):
        part = ids[i : i + 20000]
        opening.update(
            (acc_id, q(s))
            for acc_id, s in SavingsTransaction.objects.filter(  # q(): SQLite sums decimals as floats
                cooperative=coop, account_id__in=part, date__lt=period
            )
            .values("account_id")
            .annotate(s=Sum("amount"))
            .values_list("account_id", "s")
        )
        for acc_id, date, amount in SavingsTransaction.objects.filter(
            cooperative=coop, account_id__in=part, date__gte=period, date__lte=end
        ).values_list("account_id", "date", "amount"):
            moves[acc_id].append((date, amount))
    fee_key = admin_fee_key(coop)
    # Group by member so that the tax threshold applies per member per month.
    groups, current = [], []
    for acc in todo:
        if current and current[-1].member_id != acc.member_id and len(current) >= CHUNK:
            groups.append(current)
            current = []
        current.append(acc)
    if current:
        groups.append(current)
    for chunk in groups:
        _interest_chunk(run, actor, coop, period, end, chunk, opening, moves, fee_key)


def _interest_chunk(run, actor, coop, period, end, chunk, opening, moves, fee_key):  # noqa: C901, PLR0913, PLR0917
    plan = []  # (account, jasa, tax, fee)
    by_member = defaultdict(list)
    for acc in chunk:
        open_bal = opening.get(acc.pk) or ZERO
        jasa = account_interest(acc.product, open_bal, moves.get(acc.pk, []), period)
        by_member[acc.member_id].append(
            [acc, jasa, ZERO, ZERO, open_bal + sum((m for _, m in moves.get(acc.pk, [])), ZERO)]
        )
    for rows in by_member.values():
        total = sum((r[1] for r in rows), ZERO)
        tax = member_tax(rows[0][0].product, total)
        if tax:
            for r, part in zip(rows, split(tax, [r[1] for r in rows]), strict=True):
                r[2] = part
        for r in rows:
            acc, jasa, tax_part, _, bal = r
            fee = acc.product.admin_fee
            after = bal + jasa - tax_part
            fee = min(fee, max(after, ZERO))
            r[3] = fee
            plan.append(r)
    sum_jasa = sum((r[1] for r in plan), ZERO)
    sum_tax = sum((r[2] for r in plan), ZERO)
    sum_fee = sum((r[3] for r in plan), ZERO)
    with action_atomic():
        if sum_jasa or sum_fee:
            lines = []
            if sum_jasa:
                lines.append(Line("beban_jasa_simpanan", debit=sum_jasa))
                if sum_tax:
                    lines.append(Line("utang_pajak", credit=sum_tax))
                if sum_jasa - sum_tax:
                    lines.append(Line("simpanan_sukarela", credit=sum_jasa - sum_tax))
            if sum_fee:
                lines.append(Line("simpanan_sukarela", debit=sum_fee))
                lines.append(Line(fee_key, credit=sum_fee))
            entry = post(
                cooperative=coop,
                date=end,
                memo=f"Jasa simpanan sukarela {period:%m/%Y} ({len(plan)} rekening)",
                actor=actor,
                source_type="savings.interest",
                source_ref=f"JASA-{period:%Y-%m}",
                lines=lines,
            )
            rows, updates = [], []
            who = actor.pk if (actor is not None and actor.is_authenticated) else None
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            memos = {
                t: f"{m} {period:%m/%Y}"
                for t, m in (
                    ("interest", "Jasa simpanan"),
                    ("tax", "Pajak jasa simpanan"),
                    ("admin_fee", "Biaya administrasi"),
                )
            }
            for acc, jasa, tax, fee, _bal in plan:
                delta = jasa - tax - fee
                for amount, typ in ((jasa, "interest"), (-tax, "tax"), (-fee, "admin_fee")):
                    if amount:
                        rows.append(
                            (
                                coop.pk,
                                acc.pk,
                                acc.member_id,
                                Kind.SUKARELA,
                                end,
                                typ,
                                amount,
                                memos[typ],
                                entry.pk,
                                None,
                                period,
                                who,
                                now,
                            )
                        )
                if delta:
                    updates.append((acc.pk, delta))
            insert(SavingsTransaction, TX_FIELDS, rows)
            apply_deltas(updates)
            audit.record(
                actor,
                "savings_interest_post",
                cooperative=coop,
                obj=run,
                ref=entry.number,
                summary=f"Jasa simpanan {period:%m/%Y}: {len(plan)} rekening",
                after={"jasa": sum_jasa, "pajak": sum_tax, "biaya_admin": sum_fee, "rekening": len(plan)},
            )
        _progress(run, done_add=len(chunk), amount_add=sum_jasa)


def apply_deltas(updates: list[tuple[int, Decimal]]) -> None:
    """Add each delta to its account's balance cache (``balance = balance + delta``, rows locked
    in id order): safe beside concurrent tellers, unlike writing back a value read earlier."""
    add_to_balances(updates)


# --- maturity (simpanan berjangka) ------------------------------------------------------------


def _maturity(run: Run, actor):
    coop, period = run.cooperative, run.period
    end = min(month_end(period), timezone.localdate())  # never before the maturity date
    due = list(
        SavingsAccount.objects.filter(
            cooperative=coop, kind=Kind.BERJANGKA, status="aktif", maturity_on__lte=end
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    Run.objects.filter(pk=run.pk).update(total=len(due))
    for acc_id in due:
        with action_atomic():
            acc = (
                SavingsAccount.objects.select_for_update(of=("self",))
                .select_related("product", "member")
                .get(pk=acc_id)
            )
            if acc.status != "aktif" or acc.maturity_on > end:
                _progress(run, done_add=1)
                continue
            before = {"status": acc.status, "balance": acc.balance, "maturity_on": acc.maturity_on}
            mature(acc, actor=actor)
            acc.refresh_from_db(fields=["status", "balance", "maturity_on"])
            audit.record(
                actor,
                "savings_mature",
                cooperative=coop,
                obj=acc,
                ref=acc.number,
                before=before,
                after={"status": acc.status, "balance": acc.balance, "maturity_on": acc.maturity_on},
            )
            _progress(run, done_add=1)


def mature(acc: SavingsAccount, *, actor) -> None:
    """Pay the term's jasa (minus tax) and apply the maturity action; inside the caller's transaction."""
    coop = acc.cooperative
    date = acc.maturity_on
    product = acc.product
    principal = acc.balance
    days = (acc.maturity_on - (acc.term_start or acc.opened_on)).days
    jasa = q(principal * acc.rate / Decimal(100) * days / Decimal(365))
    tax = member_tax(product, jasa)
    net = jasa - tax
    memo = f"Jatuh tempo simpanan berjangka {acc.number} {acc.member.name}"
    period = date.replace(day=1)
    services.lock_receipt_numbers(coop, date)
    if jasa > 0:
        lines = [Line("beban_jasa_simpanan", debit=jasa), Line(product.ledger_key, credit=net)]
        if tax:
            lines.append(Line("utang_pajak", credit=tax))
        entry = post(
            cooperative=coop,
            date=date,
            memo=f"Jasa {memo}",
            actor=actor,
            source_type="savings.interest",
            source_ref=acc.number,
            lines=lines,
        )
        services.record(
            account=acc,
            amount=jasa,
            type="interest",
            date=date,
            entry=entry,
            actor=actor,
            memo="Jasa simpanan berjangka",
            period=period,
        )
        if tax:
            services.record(
                account=acc,
                amount=-tax,
                type="tax",
                date=date,
                entry=entry,
                actor=actor,
                memo="Pajak jasa simpanan",
                period=period,
            )
    total = principal + net
    action = acc.maturity_action or product.maturity_action
    if action == SavingsProduct.MaturityAction.ROLL_OVER and acc.member.status == "aktif":
        new_end = add_months(date, acc.term_months or product.term_months)
        SavingsAccount.objects.filter(pk=acc.pk).update(
            term_start=date, maturity_on=new_end, rate=product.rate
        )
        return
    if total <= 0:
        SavingsAccount.objects.filter(pk=acc.pk).update(status="ditutup", closed_on=date)
        return
    if action == SavingsProduct.MaturityAction.TO_SUKARELA and acc.member.status == "aktif":
        target = services.account_of(coop, acc.member, Kind.SUKARELA, date, lock=True)
        entry = post(
            cooperative=coop,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.maturity",
            source_ref=acc.number,
            lines=[Line(product.ledger_key, debit=total), Line(target.product.ledger_key, credit=total)],
        )
        services.record(
            account=acc, amount=-total, type="transfer_out", date=date, entry=entry, actor=actor, memo=memo
        )
        services.record(
            account=target, amount=total, type="transfer_in", date=date, entry=entry, actor=actor, memo=memo
        )
    else:
        number = services.receipt_number(coop, date)
        entry = post(
            cooperative=coop,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.maturity",
            source_ref=acc.number,
            lines=[Line(product.ledger_key, debit=total), Line("kas", credit=total)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=coop,
            date=date,
            type=Receipt.Type.PENARIKAN,
            member=acc.member,
            amount=total,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        services.record(
            account=acc,
            amount=-total,
            type="withdrawal",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
    SavingsAccount.objects.filter(pk=acc.pk).update(status="ditutup", closed_on=date)
