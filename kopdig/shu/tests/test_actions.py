"""SHU year-end close, approval, allocation and distribution against a real database."""

import datetime as dt
from decimal import Decimal

import pytest

from kopdig.ledger.models import Account, AccountMonthBalance, JournalEntry
from kopdig.ledger.posting import PeriodClosed
from kopdig.lib.errors import NotAllowed
from kopdig.shu import actions, selectors
from kopdig.shu.engine import AllocationInvalid
from kopdig.shu.models import ShuMemberShare, ShuYear

from . import factories as f

D = Decimal
pytestmark = pytest.mark.django_db


def _setup(w, **kw):
    return actions.shu_year_save(
        actor=w.pengurus_a, cooperative=w.coop_a, year=w.year, transaksi_basis="volume", **kw
    )


def _snapshot(coop):
    return (
        JournalEntry.objects.filter(cooperative=coop).count(),
        list(
            AccountMonthBalance.objects.filter(cooperative=coop).order_by("id").values_list("debit", "credit")
        ),
        list(
            ShuMemberShare.objects.filter(cooperative=coop)
            .order_by("id")
            .values_list("status", "receipt_number", "total")
        ),
        list(ShuYear.objects.filter(cooperative=coop).values_list("status", "year")),
    )


def _balance(coop, key, date):
    from kopdig.ledger.selectors import account_balance

    return account_balance(Account.objects.get(cooperative=coop, system_key=key), date)


def test_simulation_from_books_joined_mid_year_and_left(shu_world):
    w = shu_world
    sy = _setup(w)
    sim = selectors.simulate(w.coop_a, sy)
    assert sim.books.shu == D("2000000.00")
    r = sim.result
    assert (r.jm_pool, r.ju_pool) == (D("400000.00"), D("400000.00"))
    got = {m.key: (m.jm, m.ju, m.total) for m in r.members}
    assert got == {
        "00001": (D("50000.00"), D("100000.00"), D("150000.00")),
        "00002": (D("200000.00"), D("200000.00"), D("400000.00")),
        "00003": (D("50000.00"), D("50000.00"), D("100000.00")),  # joined 1 July: average simpanan 500,000
        "00004": (D("100000.00"), D("50000.00"), D("150000.00")),  # left 30 Sept: still shares
    }


def test_allocation_not_totalling_100_refused_nothing_written(shu_world):
    w = shu_world
    _setup(w)
    before = _snapshot(w.coop_a), list(w.coop_a.shu_years.get().lines.values_list("name", "percent"))
    bad = [
        {"name": "Cadangan", "percent": D("40"), "role": "cadangan"},
        {"name": "JM", "percent": D("20"), "role": "jasa_modal"},
        {"name": "JU", "percent": D("30"), "role": "jasa_usaha"},
    ]
    with pytest.raises(AllocationInvalid, match="100%"):
        actions.shu_year_save(actor=w.pengurus_a, cooperative=w.coop_a, year=w.year, lines=bad)
    after = _snapshot(w.coop_a), list(w.coop_a.shu_years.get().lines.values_list("name", "percent"))
    assert before == after


def test_close_zeroes_income_expense_keeps_balance_sheet_and_locks(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    end = dt.date(year, 12, 31)
    assets_before, _ = f.balance_sheet_total(coop, end)
    _setup(w)
    sy = actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    assert sy.status == "closed" and sy.book_shu == D("2000000.00")
    assert sy.closing_entry.source_type == "shu.closing" and sy.closing_entry.date == end
    for acc in Account.objects.filter(cooperative=coop, type__in=["pendapatan", "beban"], is_group=False):
        assert _balance(coop, acc.system_key or acc.code, end) == 0
    assets, liab_equity = f.balance_sheet_total(coop, end)
    assert assets == assets_before == liab_equity
    assert _balance(coop, "shu_tahun_berjalan", end) == D("2000000.00")
    with pytest.raises(PeriodClosed):
        f.post(coop, dt.date(year, 12, 15), [("kas", "1", 0), ("pendapatan_lain", 0, "1")])
    assert f.cache_problems(coop) == []
    # The ledger's statements leave the closing entry out of the closed year's income statement.
    from kopdig.ledger.statements import CLOSING_SOURCE_TYPES, statement_totals

    assert actions.CLOSING_SOURCE_TYPE in CLOSING_SOURCE_TYPES
    totals = statement_totals(coop, end)
    assert (totals["pendapatan"], totals["beban"], totals["shu"]) == (
        D("3000000.00"),
        D("1000000.00"),
        D("2000000.00"),
    )
    assert totals["total_aset"] == totals["total_kewajiban"] + totals["total_ekuitas"]
    # The SHU is now read from the close.
    assert selectors.simulate(coop, sy).result.shu == D("2000000.00")


def test_close_without_income_skips_entry_but_locks(world):
    from kopdig.ledger import periods

    year = f.last_year()
    sy = actions.shu_year_close(actor=world.pengurus_a, cooperative=world.coop_a, year=year)
    assert sy.closing_entry is None and sy.status == "closed"
    assert periods.is_closed(world.coop_a, dt.date(year, 12, 31))
    assert not JournalEntry.objects.filter(cooperative=world.coop_a).exists()


def test_reopen_reverses_and_unlocks(shu_world):
    from kopdig.ledger import periods

    w = shu_world
    coop, year = w.coop_a, w.year
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    with pytest.raises(NotAllowed):
        actions.shu_year_reopen(actor=w.manajer_a, cooperative=coop, year=year)
    sy = actions.shu_year_reopen(actor=w.pengurus_a, cooperative=coop, year=year, reason="koreksi")
    assert sy.status == "simulated"
    assert not periods.is_closed(coop, dt.date(year, 12, 31))
    assert _balance(coop, "pendapatan_jasa_pinjaman", dt.date(year, 12, 31)) == D("3000000.00")
    assert _balance(coop, "shu_tahun_berjalan", dt.date(year, 12, 31)) == 0
    assert f.cache_problems(coop) == []
    # It can be closed again.
    assert actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year).book_shu == D("2000000.00")


def _through_allocation(w, **kw):
    coop, year = w.coop_a, w.year
    _setup(w, **kw)
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a,
        cooperative=coop,
        year=year,
        rat_date=f.rat_date(year),
        rat_reference="01/RAT/2026",
    )
    return actions.shu_allocate(actor=w.manajer_a, cooperative=coop, year=year)


def test_approve_allocate_distribute_cash_twice_pays_once(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    sy = _through_allocation(w, tax_percent=D("10"))
    rat = f.rat_date(year)
    assert sy.status == "allocated" and sy.allocation_entry.date == rat
    assert _balance(coop, "shu_tahun_berjalan", rat) == 0
    assert _balance(coop, "cadangan", rat) == D("800000.00")
    assert _balance(coop, "dana_shu_anggota", rat) == D("800000.00")
    assert _balance(coop, "dana_pengurus", rat) == D("100000.00")
    assert _balance(coop, "dana_pdk", rat) == D("50000.00")
    kas_before = _balance(coop, "kas", rat)

    sy = actions.shu_distribute(actor=w.manajer_a, cooperative=coop, year=year, date=rat, batch_size=2)
    assert sy.status == "distributed" and sy.distribute_done == sy.distribute_total == 4
    shares = {s.member.number: s for s in selectors.shares_list(coop, sy)}
    assert shares["00001"].status == "paid" and shares["00001"].net == D("135000.00")
    assert shares["00001"].tax == D("15000.00") and shares["00001"].receipt_number.startswith("SHU-")
    assert shares["00004"].status == "payable" and shares["00004"].receipt_number == ""
    paid_total = D("150000") + D("400000") + D("100000")
    assert _balance(coop, "kas", rat) == kas_before - paid_total + paid_total / 10
    assert _balance(coop, "utang_pajak", rat) == paid_total / 10
    assert _balance(coop, "dana_shu_anggota", rat) == D("150000.00")  # the leaver's payable
    assert len({s.receipt_number for s in shares.values() if s.receipt_number}) == 3

    before = _snapshot(coop)
    again = actions.shu_distribute(actor=w.manajer_a, cooperative=coop, year=year, date=rat)
    assert again.status == "distributed"
    assert _snapshot(coop) == before

    # The leaver's payable is paid later in cash.
    share = actions.shu_share_pay(actor=w.kasir_a, cooperative=coop, year=year, number="00004", date=rat)
    assert share.status == "paid" and share.net == D("135000.00")
    assert _balance(coop, "dana_shu_anggota", rat) == 0
    assert f.cache_problems(coop) == []

    with pytest.raises(actions.WrongStatus):
        actions.shu_year_reopen(actor=w.pengurus_a, cooperative=coop, year=year)


def test_distribute_resumes_after_partial_run(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    _through_allocation(w)
    rat = f.rat_date(year)
    calls = []

    class Stop(Exception):
        pass

    def progress(done, total):
        calls.append(done)
        raise Stop  # crash after the first batch has committed

    with pytest.raises(Stop):
        actions.shu_distribute(
            actor=w.manajer_a, cooperative=coop, year=year, date=rat, batch_size=1, progress=progress
        )
    sy = ShuYear.objects.get(cooperative=coop, year=year)
    assert sy.status == "allocated" and calls == [2]  # 1 payable + 1 paid
    assert ShuMemberShare.objects.filter(cooperative=coop, status="paid").count() == 1
    sy = actions.shu_distribute(actor=w.manajer_a, cooperative=coop, year=year, date=rat)
    assert sy.status == "distributed"
    assert ShuMemberShare.objects.filter(cooperative=coop, status="paid").count() == 3
    entries = JournalEntry.objects.filter(cooperative=coop, source_type="shu.distribute")
    assert sum(e.total for e in entries) == D("650000.00")
    assert f.cache_problems(coop) == []


def test_distribute_to_sukarela(shu_world):
    from kopdig.savings.models import SavingsAccount

    w = shu_world
    coop, year = w.coop_a, w.year
    _through_allocation(w, tax_percent=D("10"))
    rat = f.rat_date(year)
    actions.shu_distribute(actor=w.pengurus_a, cooperative=coop, year=year, method="sukarela", date=rat)
    acc = SavingsAccount.objects.get(cooperative=coop, member=w.member_a, kind="sukarela")
    assert acc.balance == D("135000.00")  # 150,000 less 10% tax
    assert _balance(coop, "simpanan_sukarela", rat) == D("585000.00")
    assert _balance(coop, "utang_pajak", rat) == D("65000.00")
    assert _balance(coop, "dana_shu_anggota", rat) == D("150000.00")  # the leaver's payable
    share = ShuMemberShare.objects.get(cooperative=coop, member=w.member_a)
    assert share.status == "credited" and share.journal_entry_id and share.receipt_number
    assert f.cache_problems(coop) == []


def test_non_member_shu_allocated_separately(world):
    coop, year = world.coop_a, f.last_year()
    m = world.member_a
    f.simpanan(coop, m, "pokok", "100000", dt.date(year, 1, 1))
    f.volume(coop, year, m, "1000")
    f.books(
        coop, year, revenue="3000000", non_member="1000000", expense="2000000"
    )  # SHU 2,000,000, 1/4 non-member
    actions.shu_year_save(
        actor=world.pengurus_a,
        cooperative=coop,
        year=year,
        transaksi_basis="volume",
        separate_non_member=True,
    )
    sy = actions.shu_year_close(actor=world.pengurus_a, cooperative=coop, year=year)
    r = selectors.simulate(coop, sy).result
    assert r.non_member_shu == D("500000.00") and r.member_shu == D("1500000.00")
    assert r.non_member_lines[0].amount == D("300000.00")  # 60% cadangan
    assert r.jm_pool == D("300000.00") and r.members[0].total == D("600000.00")


def test_roles_refused(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    before = _snapshot(coop)
    for user in (w.anggota_a, w.dinas, w.kasir_a, w.pengawas_a, w.pengurus_b):
        with pytest.raises(NotAllowed):
            actions.shu_year_close(actor=user, cooperative=coop, year=year)
    for user in (w.anggota_a, w.dinas, w.pengurus_b):
        with pytest.raises(NotAllowed):
            actions.shu_distribute(actor=user, cooperative=coop, year=year)
    with pytest.raises(NotAllowed):
        actions.shu_approve(
            actor=w.manajer_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="x"
        )
    assert _snapshot(coop) == before


def test_volume_import_all_or_nothing(shu_world):
    from kopdig.shu.models import MemberVolume

    w = shu_world
    coop, year = w.coop_a, w.year
    before = list(
        MemberVolume.objects.filter(cooperative=coop).values_list("member__number", "kind", "amount")
    )
    rows = [
        (2, {"no_anggota": "00001", "jenis": "pembelian", "jumlah": "750000"}),
        (3, {"no_anggota": "99999", "jenis": "pembelian", "jumlah": "1"}),
        (4, {"no_anggota": "00002", "jenis": "salah", "jumlah": "-5"}),
    ]
    with pytest.raises(actions.VolumeImportError) as exc:
        actions.member_volume_import(actor=w.pengurus_a, cooperative=coop, year=year, rows=rows)
    assert len(exc.value.errors) == 3
    assert (
        list(MemberVolume.objects.filter(cooperative=coop).values_list("member__number", "kind", "amount"))
        == before
    )
    n = actions.member_volume_import(actor=w.pengurus_a, cooperative=coop, year=year, rows=rows[:1])
    assert n == 1
    assert MemberVolume.objects.get(cooperative=coop, member=w.member_a).amount == D("750000.00")


@pytest.mark.django_db(transaction=True)
def test_full_cycle_with_real_commits(shu_world):
    """Close → approve → allocate → distribute with committed transactions (deferred balance
    trigger on PostgreSQL), ending with balanced books and caches equal to a recomputation."""
    w = shu_world
    coop, year = w.coop_a, w.year
    _through_allocation(w, tax_percent=D("5"))
    sy = actions.shu_distribute(
        actor=w.pengurus_a, cooperative=coop, year=year, date=f.rat_date(year), batch_size=3
    )
    assert sy.status == "distributed"
    assert f.cache_problems(coop) == []
    assets, liab_equity = f.balance_sheet_total(coop, f.rat_date(year))
    assert assets == liab_equity
    assert _balance(coop, "utang_pajak", f.rat_date(year)) == D("32500.00")  # 5% of 650,000 paid


def test_reopen_after_approval_clears_shares_and_close_refuses_open_years(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    _setup(w)
    with pytest.raises(actions.ShuError, match="belum berakhir"):
        actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year + 1)
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    with pytest.raises(actions.WrongStatus):
        actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="R"
    )
    assert ShuMemberShare.objects.filter(cooperative=coop).count() == 4
    with pytest.raises(actions.WrongStatus):
        actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, tax_percent=D(5))
    sy = actions.shu_year_reopen(actor=w.pengurus_a, cooperative=coop, year=year)
    assert sy.status == "simulated" and sy.rat_date is None
    assert not ShuMemberShare.objects.filter(cooperative=coop).exists()
    assert f.cache_problems(coop) == []


def test_rat_override_below_books_keeps_rest_undivided(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    _through_allocation(w, shu_override=D("1500000"))
    rat = f.rat_date(year)
    assert _balance(coop, "shu_tahun_berjalan", rat) == 0
    assert _balance(coop, "shu_belum_dibagi", rat) == D("500000.00")
    assert _balance(coop, "cadangan", rat) == D("600000.00")
    assert _balance(coop, "dana_shu_anggota", rat) == D("600000.00")
