import datetime as dt
from decimal import Decimal

import pytest

from kopdig.audit.models import AuditLog
from kopdig.ledger.actions import period_close_month
from kopdig.ledger.models import Account, JournalEntry
from kopdig.ledger.selectors import net_movements
from kopdig.lib.errors import DomainError, NotAllowed

from .. import actions, selectors
from ..models import Product, Purchase, Sale, SaleLine, StockMovement
from .conftest import books_ok

pytestmark = pytest.mark.django_db
D = Decimal
END = dt.date(2099, 12, 31)


def balances(coop, *keys):
    accs = {a.pk: a for a in Account.objects.filter(cooperative=coop, system_key__in=keys)}
    moves = net_movements(coop, end=END, account_ids=list(accs))
    out = {}
    for pk, acc in accs.items():
        d, c = moves.get(pk, (D(0), D(0)))
        out[acc.system_key] = (d - c) if acc.normal_side == "D" else (c - d)
    return out


def stock(coop, code):
    p = Product.objects.get(cooperative=coop, code=code)
    return p.stock_qty, p.stock_value


def buy(w, code="beras", qty=10, cost="50000", payment="tunai", **kw):
    return actions.purchase_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        supplier_name="UD Makmur",
        payment=payment,
        lines=[{"product": code, "qty": qty, "unit_cost": cost}],
        **kw,
    )


def test_ksu_trade_splits_by_buyer_and_books_balance(shop):
    w, coop = shop, shop.coop_a
    buy(w)
    p2 = buy(w, cost="53000", payment="kredit", trade_ref="PKS-2025-01")
    assert stock(coop, "beras") == (D("20.000"), D("1030000.00"))
    s1 = actions.sale_record(
        actor=w.kasir_a,
        cooperative=coop,
        date=w.day,
        buyer_member="00001",
        lines=[{"product": "beras", "qty": 3}],
    )
    s2 = actions.sale_record(
        actor=w.kasir_a,
        cooperative=coop,
        date=w.day,
        buyer_name="Tamu",
        discount="10000",
        lines=[{"product": "beras", "qty": 2}],
    )
    assert (s1.total, s2.gross, s2.total) == (D("180000.00"), D("130000.00"), D("120000.00"))
    assert [ln.cost for ln in s1.lines.all()] == [D("154500.00")]
    actions.purchase_record(
        actor=w.kasir_a,
        cooperative=coop,
        date=w.day,
        supplier_member="00002",
        consignment=True,
        lines=[{"product": "keripik", "qty": 20}],
    )
    actions.sale_record(
        actor=w.kasir_a, cooperative=coop, date=w.day, lines=[{"product": "keripik", "qty": 4}]
    )
    assert stock(coop, "keripik") == (D("16.000"), D("0.00"))
    actions.sale_return(
        actor=w.kasir_a,
        cooperative=coop,
        number=s1.number,
        date=w.day,
        reason="rusak",
        lines=[{"product": "beras", "qty": 1}],
    )
    actions.purchase_pay(actor=w.kasir_a, cooperative=coop, number=p2.number, amount="530000", date=w.day)
    assert actions.consignment_payable(coop, w.producer) == D("57600.00")
    actions.consignment_payout(actor=w.kasir_a, cooperative=coop, member_number="00002", date=w.day)
    b = balances(
        coop,
        "kas",
        "persediaan",
        "utang_usaha",
        "penjualan_anggota",
        "penjualan_non_anggota",
        "hpp_anggota",
        "hpp_non_anggota",
        "retur_penjualan_anggota",
        "komisi_konsinyasi_non_anggota",
        "utang_konsinyasi",
    )
    assert b == {
        "kas": D("-500000.00")
        + D("180000.00")
        + D("120000.00")
        + D("72000.00")
        - D("60000.00")
        - D("530000.00")
        - D("57600.00"),
        "persediaan": D("1030000.00") - D("154500.00") - D("103000.00") + D("51500.00"),
        "utang_usaha": D("0.00"),
        "penjualan_anggota": D("180000.00"),
        "penjualan_non_anggota": D("120000.00"),
        "hpp_anggota": D("154500.00") - D("51500.00"),
        "hpp_non_anggota": D("103000.00"),
        "retur_penjualan_anggota": D("60000.00"),
        "komisi_konsinyasi_non_anggota": D("14400.00"),
        "utang_konsinyasi": D("0.00"),
    }
    assert stock(coop, "beras") == (D("16.000"), D("824000.00"))
    assert Purchase.objects.get(pk=p2.pk).trade_ref == "PKS-2025-01"
    books_ok(coop)
    assert selectors.member_transaksi(coop, 2025) == {w.member_a.pk: D("120000.00")}
    rep = selectors.sales_report(coop, dt.date(2025, 1, 1), dt.date(2025, 12, 31), by="product")
    led = selectors.ledger_sales_figures(coop, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (rep.total.omzet, rep.total.hpp, rep.total.commission) == (
        led["omzet"],
        led["hpp"],
        led["commission"],
    )
    assert led == {"omzet": D("240000.00"), "hpp": D("206000.00"), "commission": D("14400.00")}
    for by in ("category", "producer", "month", "part"):
        assert (
            selectors.sales_report(coop, dt.date(2025, 1, 1), dt.date(2025, 12, 31), by=by).total.omzet
            == led["omzet"]
        )


def test_produsen_splits_by_origin_and_shu_basis_is_deliveries(shop):
    w, coop = shop, shop.prod
    from kopdig.members.models import Member

    m = Member.objects.create(
        cooperative=coop,
        number="00001",
        nik="3513154101900009",
        name="Bu Tini",
        gender="P",
        joined_on=dt.date(2024, 1, 2),
    )
    a = w.pengurus_b
    actions.product_create(
        actor=a,
        cooperative=coop,
        code="dodol",
        name="Dodol Salak",
        price_member="20000",
        price_non_member="25000",
        producer="00001",
    )
    actions.product_create(
        actor=a,
        cooperative=coop,
        code="gula",
        name="Gula 1 kg",
        price_member="15000",
        price_non_member="16000",
    )
    actions.purchase_record(
        actor=a,
        cooperative=coop,
        date=w.day,
        supplier_member="00001",
        payment="kredit",
        lines=[{"product": "dodol", "qty": 10, "unit_cost": "15000"}],
    )
    actions.purchase_record(
        actor=a,
        cooperative=coop,
        date=w.day,
        supplier_name="Toko Grosir",
        lines=[{"product": "gula", "qty": 10, "unit_cost": "12000"}],
    )
    actions.sale_record(
        actor=a,
        cooperative=coop,
        date=w.day,
        buyer_name="Wisatawan",
        lines=[{"product": "dodol", "qty": 2}, {"product": "gula", "qty": 1}],
    )
    b = balances(coop, "penjualan_anggota", "penjualan_non_anggota", "hpp_anggota", "hpp_non_anggota")
    assert b == {
        "penjualan_anggota": D("50000.00"),
        "penjualan_non_anggota": D("16000.00"),
        "hpp_anggota": D("30000.00"),
        "hpp_non_anggota": D("12000.00"),
    }
    assert selectors.member_transaksi(coop, 2025) == {m.pk: D("150000.00")}
    books_ok(coop)


def snapshot(coop):
    return (
        Sale.objects.filter(cooperative=coop).count(),
        SaleLine.objects.count(),
        StockMovement.objects.count(),
        JournalEntry.objects.filter(cooperative=coop).count(),
        list(Product.objects.values_list("stock_qty", "stock_value").order_by("id")),
        AuditLog.objects.filter(action="sale_record").count(),
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"lines": [{"product": "beras", "qty": 11}]},
        {"lines": [{"product": "beras", "qty": 6}, {"product": "beras", "qty": 5}]},
        {"lines": [{"product": "beras", "qty": 1, "price": "-1"}]},
        {"lines": [{"product": "tidak-ada", "qty": 1}]},
        {"lines": [{"product": "beras", "qty": 1}], "payment": "kredit"},
        {"lines": [{"product": "beras", "qty": 1}], "date": dt.date(2025, 2, 10)},
        {"lines": [{"product": "beras", "qty": 0}]},
    ],
)
def test_refused_sales_write_nothing(shop, bad):
    w = shop
    buy(w)
    period_close_month(
        actor=w.pengurus_a, cooperative=w.coop_a, year=2025, month=2, today=dt.date(2025, 3, 10)
    )
    before = snapshot(w.coop_a)
    kw = {"date": w.day, **bad}
    with pytest.raises(DomainError):
        actions.sale_record(actor=w.kasir_a, cooperative=w.coop_a, **kw)
    assert snapshot(w.coop_a) == before


def test_roles_are_checked(shop):
    with pytest.raises(NotAllowed):
        actions.sale_record(
            actor=shop.anggota_a, cooperative=shop.coop_a, lines=[{"product": "beras", "qty": 1}]
        )
    with pytest.raises(NotAllowed):
        actions.product_create(
            actor=shop.kasir_a,
            cooperative=shop.coop_a,
            code="x",
            name="X",
            price_member=1,
            price_non_member=1,
        )
    with pytest.raises(NotAllowed):
        actions.sale_record(
            actor=shop.pengurus_b, cooperative=shop.coop_a, lines=[{"product": "beras", "qty": 1}]
        )


def test_credit_sale_paid_from_sukarela(shop, admit, sukarela):
    from kopdig.savings.actions import savings_deposit
    from kopdig.savings.models import SavingsAccount

    w = shop
    m = admit(name="Rina", n=7, joined_on=dt.date(2025, 1, 2))
    acc = sukarela(m)
    savings_deposit(
        actor=w.kasir_a, cooperative=w.coop_a, account=acc, amount="500000", date=dt.date(2025, 1, 5)
    )
    buy(w)
    sale = actions.sale_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        buyer_member=m.number,
        payment="kredit",
        lines=[{"product": "beras", "qty": 2}],
    )
    assert balances(w.coop_a, "piutang_usaha")["piutang_usaha"] == D("120000.00")
    actions.sale_payment_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        number=sale.number,
        amount="100000",
        date=w.day,
        method="sukarela",
    )
    actions.sale_payment_record(
        actor=w.kasir_a, cooperative=w.coop_a, number=sale.number, amount="20000", date=w.day
    )
    with pytest.raises(DomainError):
        actions.sale_payment_record(
            actor=w.kasir_a, cooperative=w.coop_a, number=sale.number, amount="1", date=w.day
        )
    assert SavingsAccount.objects.get(number=acc).balance == D("400000.00")
    assert balances(w.coop_a, "piutang_usaha")["piutang_usaha"] == D("0.00")
    assert Sale.objects.get(pk=sale.pk).receivable == D("0.00")
    books_ok(w.coop_a)


def test_stock_count_posts_the_difference(shop):
    w = shop
    buy(w, qty=10, cost="50000")
    c = actions.stock_count_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        reason="opname Maret",
        counts=[{"product": "beras", "counted": "8"}],
    )
    assert c.difference_value == D("-100000.00")
    assert balances(w.coop_a, "selisih_persediaan")["selisih_persediaan"] == D("100000.00")
    actions.stock_count_record(
        actor=w.kasir_a, cooperative=w.coop_a, date=w.day, counts=[{"product": "beras", "counted": "9"}]
    )
    assert stock(w.coop_a, "beras") == (D("9.000"), D("450000.00"))
    assert balances(w.coop_a, "selisih_persediaan")["selisih_persediaan"] == D("50000.00")
    books_ok(w.coop_a)


def test_consignment_return_and_payout_limits(shop):
    w = shop
    actions.purchase_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        supplier_member="00002",
        consignment=True,
        lines=[{"product": "keripik", "qty": 5}],
    )
    with pytest.raises(DomainError):  # consigned goods are not bought
        buy(w, code="keripik")
    actions.consignment_return(actor=w.kasir_a, cooperative=w.coop_a, code="keripik", qty=2, date=w.day)
    with pytest.raises(DomainError):
        actions.consignment_return(actor=w.kasir_a, cooperative=w.coop_a, code="keripik", qty=4, date=w.day)
    with pytest.raises(DomainError):
        actions.consignment_payout(actor=w.kasir_a, cooperative=w.coop_a, member_number="00002", date=w.day)
    assert stock(w.coop_a, "keripik") == (D("3.000"), D("0.00"))
    books_ok(w.coop_a)


def test_import_with_one_bad_row_writes_nothing(shop):
    rows = [
        (2, {"kode": "teh", "nama": "Teh", "harga_anggota": 5000, "harga_non_anggota": 6000}),
        (3, {"kode": "kopi", "nama": "Kopi", "harga_anggota": -1, "harga_non_anggota": 6000}),
    ]
    before = Product.objects.count()
    with pytest.raises(actions.ImportRejected) as exc:
        actions.product_import(actor=shop.pengurus_a, cooperative=shop.coop_a, rows=rows)
    assert "baris 3" in str(exc.value) and Product.objects.count() == before
    assert actions.product_import(actor=shop.pengurus_a, cooperative=shop.coop_a, rows=rows[:1]) == 1


def test_shu_usaha_basis_uses_members_purchases_net_of_returns(shop):
    from kopdig.shu import actions as shu_actions
    from kopdig.shu import selectors as shu_selectors

    w = shop
    buy(w, qty=10, cost="50000")
    s = actions.sale_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        buyer_member="00001",
        lines=[{"product": "beras", "qty": 3}],
    )
    actions.sale_return(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        number=s.number,
        date=w.day,
        lines=[{"product": "beras", "qty": 1}],
    )
    actions.sale_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        buyer_member="00002",
        lines=[{"product": "beras", "qty": 1}],
    )
    sy = shu_actions.shu_year_save(
        actor=w.pengurus_a, cooperative=w.coop_a, year=2025, transaksi_basis="usaha"
    )
    sim = shu_selectors.simulate(w.coop_a, sy, simpanan={w.member_a.pk: D(100), w.producer.pk: D(100)})
    members = {m.key: m for m in sim.result.members}
    assert {k: m.transaksi for k, m in members.items()} == {"00001": D("120000.00"), "00002": D("60000.00")}
    assert members["00001"].ju + members["00002"].ju == sim.result.ju_pool
    assert members["00001"].ju == 2 * members["00002"].ju
    assert sim.books.shu == D("180000.00") - D("150000.00")


def test_stock_rows_written_in_chunks_and_through_the_orm_when_signals_listen(shop):
    from django.db.models.signals import pre_save

    w = shop
    codes = [f"b{i}" for i in range(45)]
    for code in codes:
        actions.product_create(
            actor=w.pengurus_a,
            cooperative=w.coop_a,
            code=code,
            name=code,
            price_member=10,
            price_non_member=12,
        )
    actions.purchase_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        supplier_name="UD",
        lines=[{"product": c, "qty": 2, "unit_cost": "5"} for c in codes],
    )
    assert StockMovement.objects.filter(cooperative=w.coop_a, kind="purchase").count() == 45

    def listener(sender, **kw):
        pass

    pre_save.connect(listener, sender=StockMovement)
    try:
        actions.sale_record(
            actor=w.kasir_a, cooperative=w.coop_a, date=w.day, lines=[{"product": "b1", "qty": 1}]
        )
    finally:
        pre_save.disconnect(listener, sender=StockMovement)
    assert StockMovement.objects.filter(cooperative=w.coop_a, kind="sale").count() == 1
    books_ok(w.coop_a)
