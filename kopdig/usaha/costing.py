"""The arithmetic of the business unit (domain §12), pure functions: no database, no Django.

Moving average cost (rata-rata bergerak):
- The stock of a product is a quantity and a value (to the sen). The average cost is
  value / quantity, kept unrounded (never stored rounded, so no drift).
- Receiving ``qty`` at a total cost ``cost`` adds both: the new average is
  (value + cost) / (quantity + qty).
- Issuing ``qty`` (a sale, a shortage found by a stock count) costs
  HPP = qty × average at that moment, rounded half-up to the sen; issuing the whole quantity
  costs exactly the remaining value, so an empty shelf is worth exactly zero. Because the
  stock value is a whole number of sen and qty < quantity, the rounded cost never exceeds it.
- Issuing more than on hand is refused (``NegativeStock``).

Consignment (titip jual): on a sale of consigned goods for ``amount`` the cooperative keeps a
commission, a percentage of the amount (rounded half-up to the sen) or a fixed amount per
unit (capped at the amount); the consignor is owed the rest. commission + payable = amount.

Discount: a sale's discount is spread over its lines in proportion to their gross amounts
(largest-remainder, ``kopdig.lib.money.split``), so the lines' nets add up to the sale's net.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, D, q, split

QTY_ZERO = Decimal("0.000")
HUNDRED = Decimal(100)


class NegativeStock(DomainError):
    pass


@dataclass(frozen=True)
class Stock:
    qty: Decimal
    value: Decimal

    @property
    def average(self) -> Decimal:
        """Unrounded average cost per unit (zero when empty)."""
        return self.value / self.qty if self.qty else ZERO


def receive(stock: Stock, qty, cost) -> Stock:
    """Stock after receiving ``qty`` units costing ``cost`` in total."""
    qty, cost = D(qty), q(cost)
    if qty <= 0 or cost < 0:
        raise DomainError("Jumlah barang masuk harus lebih dari nol dan harganya tidak negatif.")
    return Stock(stock.qty + qty, stock.value + cost)


def issue_cost(stock: Stock, qty) -> Decimal:
    """HPP of issuing ``qty`` units at the moving average (rounded to the sen)."""
    qty = D(qty)
    if qty <= 0:
        raise DomainError("Jumlah barang keluar harus lebih dari nol.")
    if qty > stock.qty:
        raise NegativeStock(
            f"Stok tidak cukup: tersedia {stock.qty.normalize():f}, diminta {qty.normalize():f}."
        )
    if qty == stock.qty:
        return stock.value
    return q(qty * stock.value / stock.qty)


def issue(stock: Stock, qty) -> tuple[Stock, Decimal]:
    """(stock after issuing ``qty``, its cost)."""
    cost = issue_cost(stock, qty)
    return Stock(stock.qty - D(qty), stock.value - cost), cost


def consignment_split(amount, qty, *, percent=None, fixed_per_unit=None) -> tuple[Decimal, Decimal]:
    """(commission, payable to the consignor) of a consigned sale of ``qty`` units for ``amount``."""
    amount = q(amount)
    if percent is not None and D(percent) > 0:
        commission = q(amount * D(percent) / HUNDRED)
    elif fixed_per_unit is not None:
        commission = q(D(fixed_per_unit) * D(qty))
    else:
        commission = ZERO
    commission = min(max(commission, ZERO), amount)
    return commission, amount - commission


def spread_discount(grosses, discount) -> list[Decimal]:
    """The line nets after spreading ``discount`` over the lines by their gross amounts."""
    grosses = [q(g) for g in grosses]
    discount = q(discount or 0)
    total = sum(grosses, ZERO)
    if discount < 0 or discount > total:
        raise DomainError("Potongan harga tidak boleh negatif atau melebihi jumlah penjualan.")
    if not discount:
        return grosses
    parts = split(discount, grosses) if total else [ZERO for _ in grosses]
    return [g - p for g, p in zip(grosses, parts, strict=True)]


def proportional(total, part_qty, whole_qty) -> Decimal:
    """``total`` × part/whole to the sen (the whole when part == whole): a returned part's share."""
    part_qty, whole_qty = D(part_qty), D(whole_qty)
    if part_qty == whole_qty:
        return q(total)
    return q(D(total) * part_qty / whole_qty)
