"""Money: Decimal rupiah with two decimals (sen). No floats anywhere."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY_FIELD = {"max_digits": 20, "decimal_places": 2}


MAX_WHOLE_DIGITS = MONEY_FIELD["max_digits"] - MONEY_FIELD["decimal_places"]


def D(value) -> Decimal:  # noqa: N802 - reads like a literal
    """Coerce to Decimal exactly (ints, strings of ASCII digits, Decimals).

    Refused with ValueError: NaN, Infinity, booleans, non-ASCII digits ("１２３") and any value
    with more whole digits than the money field holds (``1e9999``); floats with TypeError."""
    if isinstance(value, float):
        raise TypeError("float is not allowed for money; pass a str or Decimal")
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if not isinstance(value, Decimal):
        text = str(value).strip()
        if not text.isascii():
            raise ValueError(f"not a number: {value!r}")
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if not value.is_finite() or (value and value.adjusted() >= MAX_WHOLE_DIGITS):
        raise ValueError(f"not a finite amount within {MAX_WHOLE_DIGITS} digits: {value!r}")
    return value


def q(value) -> Decimal:
    """Quantize to the sen, half up."""
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split(total, weights: Sequence, unit: Decimal = CENT) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so that the parts sum exactly to it.

    Largest-remainder method: every part is first rounded down to ``unit``; the residue
    units go one each to the parts with the largest remainders, ties broken by position
    (earlier first). Deterministic and order-stable; zero weights get zero.
    """
    total = q(total)
    weights = [D(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    wsum = sum(weights, Decimal(0))
    if not weights:
        return []
    if wsum == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero total over zero weights")
        return [ZERO for _ in weights]
    sign = -1 if total < 0 else 1
    units_total = int((abs(total) / unit).to_integral_value())
    raw = [Decimal(units_total) * w / wsum for w in weights]
    floors = [int(r.to_integral_value(rounding="ROUND_FLOOR")) for r in raw]
    residue = units_total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:residue]:
        floors[i] += 1
    return [q(Decimal(sign * n) * unit) for n in floors]
