import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from .. import actions
from ..costing import NegativeStock
from ..models import Product, Sale
from .conftest import books_ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_of_the_last_item_never_go_below_zero(shop):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises writers (IMMEDIATE transactions), so no real race exists"
        )
    w = shop
    actions.purchase_record(
        actor=w.kasir_a,
        cooperative=w.coop_a,
        date=w.day,
        supplier_name="UD",
        lines=[{"product": "beras", "qty": 1, "unit_cost": "50000"}],
    )
    barrier = threading.Barrier(3)
    results = []

    def sell(user):
        try:
            barrier.wait()
            actions.sale_record(
                actor=user,
                cooperative=w.coop_a,
                date=dt.date(2025, 3, 4),
                lines=[{"product": "beras", "qty": 1}],
            )
            results.append("ok")
        except NegativeStock:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sell, args=(u,)) for u in (w.kasir_a, w.manajer_a, w.pengurus_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused"]
    p = Product.objects.get(cooperative=w.coop_a, code="beras")
    assert (p.stock_qty, p.stock_value) == (Decimal("0.000"), Decimal("0.00"))
    assert Sale.objects.filter(cooperative=w.coop_a).count() == 1
    books_ok(w.coop_a)
