import datetime as dt
from decimal import Decimal

import pytest

from kopdig.ledger.actions import journal_entry_post
from kopdig.ledger.posting import Line


def P(*pairs):
    """Lines from (account, debit, credit) triples with string amounts."""
    return [Line(acc, debit=Decimal(d or 0), credit=Decimal(c or 0)) for acc, d, c in pairs]


def post(world, date, memo, *pairs, source_type="manual", actor=None):
    return journal_entry_post(
        actor=actor or world.pengurus_a,
        cooperative=world.coop_a,
        date=date,
        memo=memo,
        lines=P(*pairs),
        source_type=source_type,
    )


@pytest.fixture
def scenario(world):
    """Opening balances on 1 Jan 2025 and one month of mixed entries (figures in test_scenario)."""
    from kopdig.ledger.actions import journal_entry_reverse

    d = dt.date
    post(
        world,
        d(2025, 1, 1),
        "Saldo awal",
        ("kas", "10000000", 0),
        ("bank", "50000000", 0),
        ("piutang_pinjaman", "30000000", 0),
        ("inventaris", "5000000", 0),
        ("akumulasi_penyusutan", 0, "1000000"),
        ("simpanan_sukarela", 0, "20000000"),
        ("simpanan_pokok", 0, "4000000"),
        ("simpanan_wajib", 0, "40000000"),
        ("cadangan", 0, "30000000"),
        source_type="opening",
    )
    post(
        world,
        d(2025, 1, 5),
        "Penjualan tunai kepada anggota",
        ("kas", "2000000", 0),
        ("penjualan_anggota", 0, "2000000"),
    )
    post(
        world,
        d(2025, 1, 6),
        "Penjualan non-anggota via transfer",
        ("bank", "500000", 0),
        ("penjualan_non_anggota", 0, "500000"),
    )
    post(
        world,
        d(2025, 1, 10),
        "Jasa pinjaman",
        ("kas", "300000", 0),
        ("pendapatan_jasa_pinjaman", 0, "300000"),
    )
    post(
        world,
        d(2025, 1, 12),
        "Pencairan pinjaman dipotong provisi",
        ("piutang_pinjaman", "5000000", 0),
        ("kas", 0, "4950000"),
        ("pendapatan_provisi", 0, "50000"),
    )
    post(world, d(2025, 1, 15), "Setor kas ke bank", ("bank", "1000000", 0), ("kas", 0, "1000000"))
    wrong = post(
        world, d(2025, 1, 20), "Beli ATK (salah)", ("beban_administrasi", "100000", 0), ("kas", 0, "100000")
    )
    journal_entry_reverse(
        actor=world.pengurus_a, cooperative=world.coop_a, number=wrong.number, date=d(2025, 1, 21)
    )
    post(world, d(2025, 1, 25), "Gaji Januari", ("beban_gaji", "1500000", 0), ("bank", 0, "1500000"))
    post(world, d(2025, 1, 28), "Listrik Januari", ("beban_utilitas", "250000", 0), ("kas", 0, "250000"))
    post(
        world,
        d(2025, 1, 31),
        "Bunga bank dipotong pajak",
        ("bank", "36000", 0),
        ("beban_pajak", "9000", 0),
        ("pendapatan_bank", 0, "45000"),
    )
    return world
