import datetime as dt
from decimal import Decimal

import pytest

from kopdig.lib.cells import cell_amount, cell_date, cell_number


@pytest.mark.parametrize(
    "raw",
    [
        "31-12-1980",
        "31/12/1980",
        "1980-12-31",
        "31.12.1980",
        dt.date(1980, 12, 31),
        dt.datetime(1980, 12, 31, 8, 0),
    ],
)
def test_cell_date(raw):
    assert cell_date(raw) == dt.date(1980, 12, 31)


def test_cell_date_empty_and_bad():
    assert cell_date("") is None and cell_date(None) is None
    with pytest.raises(ValueError):
        cell_date("31 Desember")


@pytest.mark.parametrize(
    "raw, want",
    [
        ("1.500.000,50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("Rp 1.500.000", "1500000"),
        (1500000.5, "1500000.5"),
        (12, "12"),
        ("2024", "2024"),
        ("1.234", "1234"),
    ],
)
def test_cell_number(raw, want):
    assert cell_number(raw) == Decimal(want)


def test_cell_amount_refuses_empty_and_text():
    assert cell_amount("10.000,555") == Decimal("10000.56")
    for raw in ("", None, "sepuluh"):
        with pytest.raises(ValueError):
            cell_amount(raw)
