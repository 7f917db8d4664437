"""The pure SHU arithmetic: worked examples and exact sums (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kopdig.lib.money import CENT, q, split
from kopdig.shu.engine import AllocationInvalid, AllocLine, ShuNotDivisible, default_lines, simulate

D = Decimal


def lines(jm="20", ju="30"):
    rest = D(100) - D(jm) - D(ju)
    return [
        AllocLine("Cadangan", rest, "cadangan", "cadangan"),
        AllocLine("JM", D(jm), "jasa_modal"),
        AllocLine("JU", D(ju), "jasa_usaha"),
    ]


def test_domain_worked_example():
    # SHU 2,000,000; JM 20%, JU 30%; Σ simpanan 10,000,000 (member 500,000); Σ transaksi 15,000,000 (member 1,000,000)
    simpanan = {"00001": D("500000"), "00002": D("9500000")}
    transaksi = {"00001": D("1000000"), "00002": D("14000000")}
    r = simulate(shu=D("2000000"), lines=lines(), simpanan=simpanan, transaksi=transaksi)
    assert r.jm_pool == D("400000.00")
    assert r.ju_pool == D("600000.00")
    m = r.members[0]
    assert (m.key, m.jm, m.ju, m.total) == ("00001", D("20000.00"), D("40000.00"), D("60000.00"))
    assert r.members[1].total == D("940000.00")


def test_default_pools_sum_to_shu():
    r = simulate(shu=D("1000000.01"), lines=default_lines(), simpanan={"1": D(1)}, transaksi={"1": D(1)})
    amounts = {ln.name: ln.amount for ln in r.lines}
    assert sum(amounts.values()) == D("1000000.01")
    assert amounts["Cadangan"] == D(
        "400000.01"
    )  # the residue sen goes to the largest remainder, first line on ties
    assert amounts["Jasa modal"] == D("200000.00")
    assert amounts["Dana sosial"] == D("25000.00")


def test_residue_sen_ties_go_to_lower_member_number():
    # JM pool 100.00 over three equal simpanan: 33.33 each + 0.01 residue to the first number.
    r = simulate(
        shu=D("500"),
        lines=lines(jm="20", ju="20"),
        simpanan={"00003": D(1), "00001": D(1), "00002": D(1)},
        transaksi={"00001": D(1)},
    )
    assert [(m.key, m.jm) for m in r.members] == [
        ("00001", D("33.34")),
        ("00002", D("33.33")),
        ("00003", D("33.33")),
    ]
    assert r.members[0].ju == D("100.00")


def test_tax_withheld_per_member():
    r = simulate(
        shu=D("2000000"),
        lines=lines(),
        simpanan={"1": D(1), "2": D(3)},
        transaksi={"1": D(1), "2": D(1)},
        tax_percent=D(10),
    )
    m = r.members[0]
    assert m.total == D("100000.00") + D("300000.00")
    assert m.tax == D("40000.00") and m.net == D("360000.00")


def test_weighted_mix_of_transaksi_bases():
    jasa = {"1": D(100), "2": D(0)}
    volume = {"1": D(0), "2": D(500)}
    r = simulate(
        shu=D("1000"),
        lines=lines(jm="0", ju="100"),
        simpanan={"1": D(1)},
        transaksi=[(D(60), jasa), (D(40), volume)],
    )
    assert [m.ju for m in r.members] == [D("600.00"), D("400.00")]


def test_non_member_shu_allocated_separately():
    nm = [
        AllocLine("Cadangan", D(60), "cadangan", "cadangan"),
        AllocLine("Pendidikan", D(40), "other", "dana_pendidikan"),
    ]
    r = simulate(
        shu=D("1000000"),
        lines=lines(),
        simpanan={"1": D(1)},
        transaksi={"1": D(1)},
        non_member_shu=D("250000"),
        non_member_lines=nm,
    )
    assert r.member_shu == D("750000.00")
    assert [ln.amount for ln in r.non_member_lines] == [D("150000.00"), D("100000.00")]
    assert r.jm_pool == D("150000.00") and r.ju_pool == D("225000.00")


@pytest.mark.parametrize(
    "bad",
    [
        [AllocLine("A", D("50"), "jasa_modal"), AllocLine("B", D("49.99"), "jasa_usaha")],
        [AllocLine("A", D("50"), "jasa_modal"), AllocLine("B", D("50"), "cadangan")],
        [
            AllocLine("A", D("40"), "jasa_modal"),
            AllocLine("A2", D("10"), "jasa_modal"),
            AllocLine("B", D("50"), "jasa_usaha"),
        ],
    ],
)
def test_invalid_allocation_refused(bad):
    with pytest.raises(AllocationInvalid):
        simulate(shu=D("1000"), lines=bad, simpanan={"1": D(1)}, transaksi={"1": D(1)})


def test_loss_or_empty_basis_refused():
    with pytest.raises(ShuNotDivisible):
        simulate(shu=D("-5"), lines=lines(), simpanan={"1": D(1)}, transaksi={"1": D(1)})
    with pytest.raises(ShuNotDivisible):
        simulate(shu=D("1000"), lines=lines(), simpanan={"1": D(0)}, transaksi={"1": D(1)})


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    shu=st.decimals(min_value=D("0.01"), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    jm=st.integers(min_value=0, max_value=60),
    ju=st.integers(min_value=0, max_value=40),
    simpanan=st.lists(money, min_size=1, max_size=40),
    transaksi=st.lists(money, min_size=1, max_size=40),
    tax=st.sampled_from([D(0), D(10), D("12.5")]),
)
def test_member_shares_sum_exactly_to_pools(shu, jm, ju, simpanan, transaksi, tax):
    simpanan = {f"{i:05d}": v for i, v in enumerate(simpanan)}
    transaksi = {f"{i:05d}": v for i, v in enumerate(transaksi)}
    simpanan["00000"] += D(1)  # never an all-zero basis
    transaksi["00000"] += D(1)
    r = simulate(
        shu=shu, lines=lines(jm=str(jm), ju=str(ju)), simpanan=simpanan, transaksi=transaksi, tax_percent=tax
    )
    assert sum(ln.amount for ln in r.lines) == shu
    assert sum(m.jm for m in r.members) == r.jm_pool
    assert sum(m.ju for m in r.members) == r.ju_pool
    assert all(m.jm >= 0 and m.ju >= 0 and m.total == m.jm + m.ju == m.tax + m.net for m in r.members)
    assert all(m.jm.as_tuple().exponent == -2 for m in r.members)


@settings(max_examples=200, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(money, min_size=1, max_size=30),
)
def test_split_exact_equals_lib_split(total, weights):
    weights[0] += D(1)
    assert split(total, weights) == decimal_largest_remainder(total, weights)


@settings(max_examples=100, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=20,
    ),
)
def test_split_exact_equals_lib_split_finer_weights(total, weights):
    weights[0] += D(1)
    assert split(total, weights) == decimal_largest_remainder(total, weights)


def decimal_largest_remainder(total, weights):
    """The reference: the largest-remainder split in plain Decimal arithmetic (lib.money.split
    before it was computed in exact integers; shu had that integer version as split_exact)."""
    total = q(total)
    wsum = sum(weights, Decimal(0))
    units_total = int((abs(total) / CENT).to_integral_value())
    raw = [Decimal(units_total) * w / wsum for w in weights]
    floors = [int(r.to_integral_value(rounding="ROUND_FLOOR")) for r in raw]
    residue = units_total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:residue]:
        floors[i] += 1
    return [q(Decimal(n) * CENT) for n in floors]
