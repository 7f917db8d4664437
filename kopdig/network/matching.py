"""Pure matching of a need against offers (no database, no Django).

Score out of 100, the sum of five signals, each shown with the match:
- **commodity** (40): the same category (20) plus words of the commodity in common
  (20 × the share of the need's words found in the offer);
- **quantity** (20): the offer's monthly quantity covers the need's (20), or the covered share
  of it (20 × share); unknown on either side: 10;
- **nearness** (20) by the region hierarchy (the data has no coordinates): same desa 20, same
  kecamatan 16, same kabupaten 12, same province 8, elsewhere 4; unknown 4;
- **health** (10), a trust signal: the last published examination Sehat 10, Cukup Sehat 7,
  Dalam Pengawasan 3, Dalam Pengawasan Khusus 0; never examined 5;
- **RAT** (10): RAT held for the last book year 10, missed 0, unknown (a party outside the
  registry) 5.
Offers of another category with no word in common score 0 on commodity and are not candidates.
Tie-break, in order: higher score, nearer, larger quantity, earlier listed, code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

W_COMMODITY, W_QUANTITY, W_NEAR, W_HEALTH, W_RAT = 40, 20, 20, 10, 10
NEAR = {"desa": 20, "kecamatan": 16, "kabupaten": 12, "provinsi": 8, "lain": 4}
HEALTH = {"sehat": 10, "cukup_sehat": 7, "dalam_pengawasan": 3, "dalam_pengawasan_khusus": 0}
STOP = {"dan", "atau", "untuk", "dari", "yang", "produk", "olahan", "per", "kg", "bulan"}


@dataclass(frozen=True)
class Side:
    """A listing as the kernel sees it. ``regions``: codes from province down to desa."""

    code: str
    commodity: str
    category: str
    quantity: Decimal | None = None
    regions: tuple[str, ...] = ()
    predicate: str | None = None
    rat_held: bool | None = None
    listed: int = 0  # an increasing number (the listing's creation order)


@dataclass(frozen=True)
class Match:
    offer: Side
    score: Decimal
    signals: dict = field(default_factory=dict)
    nearness: str = "lain"


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if len(w) > 2 and w not in STOP}


def commodity_signal(need: Side, offer: Side) -> Decimal:
    need_words = words(need.commodity)
    shared = need_words & words(offer.commodity)
    same = Decimal(20) if need.category == offer.category else Decimal(0)
    overlap = Decimal(20) * len(shared) / len(need_words) if need_words else Decimal(0)
    if not same and not shared:
        return Decimal(0)
    return same + overlap


def quantity_signal(need: Side, offer: Side) -> Decimal:
    if not need.quantity or offer.quantity is None:
        return Decimal(10)
    return Decimal(W_QUANTITY) * min(Decimal(1), offer.quantity / need.quantity)


def nearness(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """The smallest region both are in: desa, kecamatan, kabupaten, provinsi or lain."""
    levels = ["provinsi", "kabupaten", "kecamatan", "desa"]
    shared = "lain"
    for level, x, y in zip(levels, a, b, strict=False):
        if x != y:
            break
        shared = level
    return shared


def score(need: Side, offer: Side) -> Match | None:
    """The match of one offer for the need, or None when it is not a candidate."""
    commodity = commodity_signal(need, offer)
    if commodity == 0:
        return None
    near = nearness(need.regions, offer.regions)
    signals = {
        "commodity": commodity.quantize(Decimal("0.01")),
        "quantity": quantity_signal(need, offer).quantize(Decimal("0.01")),
        "nearness": Decimal(NEAR[near]),
        "health": Decimal(HEALTH.get(offer.predicate or "", 5)),
        "rat": Decimal(5 if offer.rat_held is None else (W_RAT if offer.rat_held else 0)),
    }
    return Match(offer, sum(signals.values()), signals, near)


def rank(need: Side, offers, limit: int = 20) -> list[Match]:
    """Candidate offers for the need, best first (see the module docstring for the tie-break)."""
    order = {level: i for i, level in enumerate(["desa", "kecamatan", "kabupaten", "provinsi", "lain"])}
    matches = [m for m in (score(need, o) for o in offers if o.code != need.code) if m is not None]
    matches.sort(
        key=lambda m: (-m.score, order[m.nearness], -(m.offer.quantity or 0), m.offer.listed, m.offer.code)
    )
    return matches[:limit]
