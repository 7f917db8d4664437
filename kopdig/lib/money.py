"""Money: Decimal rupiah with two decimals (sen). No floats anywhere."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY_FIELD = {"max_digits": 20, "decimal_places": 2}


MAX_WHOLE_DIGITS = MONEY_FIELD["max_digits"] - MONEY_FIELD["decimal_places"]


class AmountOutOfRange(DomainError, ValueError):
    """An amount (given or computed: a schedule's interest at an absurd rate) beyond what the
    money field holds. A ValueError for the callers that parse, a DomainError (422) for the API
    and the forms, so such an input is refused, never a server error."""

    def __init__(self, value):
        super().__init__(
            f"Jumlah di luar batas: paling banyak {MAX_WHOLE_DIGITS} digit sebelum koma ({value!r})."
        )


def D(value) -> Decimal:
    """Coerce to Decimal exactly (ints, strings of ASCII digits, Decimals).

    Refused with ValueError (``AmountOutOfRange``, a DomainError too): NaN, Infinity, booleans, non-ASCII digits ("１２３") and any value
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
        raise AmountOutOfRange(value)
    return value


def q(value) -> Decimal:
    """Quantize to the sen, half up."""
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split(total, weights: Sequence, unit: Decimal = CENT) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so that the parts sum exactly to it.

    Largest-remainder method: every part is first rounded down to ``unit``; the residue
    units go one each to the parts with the largest remainders, ties broken by position
    (earlier first). Deterministic and order-stable; zero weights get zero. Computed in exact
    integers (weights scaled by their finest decimal exponent): no Decimal context precision
    limit on the remainders, and fast enough for 100,000 members.
    """
    total = q(total)
    weights = [D(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if not weights:
        return []
    ints = _integer_weights(weights)
    wsum = sum(ints)
    if wsum == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero total over zero weights")
        return [ZERO for _ in weights]
    sign = -1 if total < 0 else 1
    units_total = int((abs(total) / unit).to_integral_value())
    parts, rems = zip(*(divmod(units_total * w, wsum) for w in ints), strict=True)
    parts = list(parts)
    residue = units_total - sum(parts)
    for i in sorted(range(len(ints)), key=lambda i: -rems[i])[:residue]:  # stable: ties keep position order
        parts[i] += 1
    return [q(Decimal(sign * n) * unit) for n in parts]


def _integer_weights(weights: list[Decimal]) -> list[int]:
    """The weights as integers in the same proportion. Fast path for money weights (at most two
    decimals): truncation only lowers a non-negative weight, so equal sums prove every weight
    was exact; otherwise scale by the finest exponent."""
    ints = [int(w * 100) for w in weights]
    if sum(ints) == sum(weights, Decimal(0)) * 100:
        return ints
    places = max(0, -min(w.as_tuple().exponent for w in weights))
    return [int(w * 10**places) for w in weights]
