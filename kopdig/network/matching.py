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
Tie-break, in order: higher score, nearer, larger quantity, earlier listed, code. Signals are
computed in integer hundredths of a point (shares rounded half up) and shown with two decimals.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

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


_WORD = re.compile(r"[a-z0-9]+")
HUNDRED = Decimal("0.01")
ORDER = {level: i for i, level in enumerate(["desa", "kecamatan", "kabupaten", "provinsi", "lain"])}


@lru_cache(maxsize=65536)
def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if len(w) > 2 and w not in STOP)


def _commodity(need: Side, need_words: frozenset, offer: Side) -> int:
    """The commodity signal in hundredths of a point (0: not a candidate)."""
    same = need.category == offer.category
    shared = len(need_words & words(offer.commodity)) if need_words else 0
    if not same and not shared:
        return 0
    overlap = (2000 * shared * 2 + len(need_words)) // (2 * len(need_words)) if need_words else 0
    return (2000 if same else 0) + overlap  # the share rounded half up to the hundredth


def _quantity(need: Side, offer: Side) -> int:
    if not need.quantity or offer.quantity is None:
        return 1000
    if offer.quantity >= need.quantity:
        return 2000
    return int((Decimal(2000) * offer.quantity / need.quantity).quantize(Decimal(1), ROUND_HALF_UP))


LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")


def nearness(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """The smallest region both are in: desa, kecamatan, kabupaten, provinsi or lain. Codes are
    hierarchical (province first), so the deepest level where they agree decides."""
    for i in range(min(len(a), len(b), 4) - 1, -1, -1):
        if a[i] == b[i]:
            return LEVELS[i]
    return "lain"


def _signals(need: Side, need_words: frozenset, offer: Side) -> tuple[int, dict, str] | None:
    """(score, signals, nearness) in hundredths of a point, or None when not a candidate."""
    commodity = _commodity(need, need_words, offer)
    if commodity == 0:
        return None
    near = nearness(need.regions, offer.regions)
    signals = {
        "commodity": commodity,
        "quantity": _quantity(need, offer),
        "nearness": NEAR[near] * 100,
        "health": HEALTH.get(offer.predicate or "", 5) * 100,
        "rat": (5 if offer.rat_held is None else (W_RAT if offer.rat_held else 0)) * 100,
    }
    return sum(signals.values()), signals, near


def _match(offer: Side, found: tuple[int, dict, str]) -> Match:
    total, signals, near = found
    return Match(
        offer,
        (Decimal(total) / 100).quantize(HUNDRED),
        {k: (Decimal(v) / 100).quantize(HUNDRED) for k, v in signals.items()},
        near,
    )


def score(need: Side, offer: Side) -> Match | None:
    """The match of one offer for the need, or None when it is not a candidate."""
    found = _signals(need, words(need.commodity), offer)
    return None if found is None else _match(offer, found)


def rank(need: Side, offers, limit: int = 20) -> list[Match]:
    """Candidate offers for the need, best first (see the module docstring for the tie-break).
    Scores are summed in integer hundredths; only the returned matches become Decimals."""
    need_words = words(need.commodity)
    found = []
    for o in offers:
        if o.code == need.code:
            continue
        s = _signals(need, need_words, o)
        if s is not None:
            found.append((-s[0], ORDER[s[2]], -(o.quantity or 0), o.listed, o.code, o, s))
    top = heapq.nsmallest(limit, found, key=lambda t: t[:5])
    return [_match(t[5], t[6]) for t in top]
