"""The arithmetic of an RAT: quorum, decision thresholds and k-seat elections (no DB, no Django).

Quorum (a rule of the AD/ART, counted on the eligible members of the published snapshot):
- ``"1/2+1"`` (half plus one) = ⌊n/2⌋ + 1;
- any other fraction ``"a/b"`` = ⌈n × a / b⌉ (at least 1 when n > 0).

Thresholds are measured on the votes for + against; abstentions are reported apart:
- ``majority``: for > ½ × (for + against);
- ``two_thirds``: for ≥ ⅔ × (for + against);
- ``three_quarters``: for ≥ ¾ × (for + against).
No votes for or against: not passed. All comparisons are in integers.

Election with k seats: the k candidates with the most votes are elected; when candidates tie
for the last seat(s) and not all of them fit, those tied go to a run-off for the seats left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HALF_PLUS_ONE = "1/2+1"
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
THRESHOLDS = {"majority", "two_thirds", "three_quarters"}


class RuleInvalid(ValueError):
    pass


def parse_quorum(rule: str) -> tuple[int, int] | None:
    """None for half-plus-one, else (a, b) with 0 < a ≤ b. RuleInvalid otherwise."""
    text = (rule or "").replace(" ", "")
    if text == HALF_PLUS_ONE:
        return None
    m = _FRACTION.match(text)
    if not m or int(m.group(2)) == 0 or not 0 < int(m.group(1)) <= int(m.group(2)):
        raise RuleInvalid(f"Aturan kuorum '{rule}' tidak valid (contoh: 1/2+1, 2/3, 1/5).")
    return int(m.group(1)), int(m.group(2))


def quorum_required(rule: str, eligible: int) -> int:
    """Members who must be present for ``eligible`` eligible members under ``rule``."""
    frac = parse_quorum(rule)
    if eligible <= 0:
        return 0
    if frac is None:
        return eligible // 2 + 1
    a, b = frac
    return -(-eligible * a // b)


def threshold_met(threshold: str, votes_for: int, votes_against: int) -> bool:
    cast = votes_for + votes_against
    if cast <= 0:
        return False
    if threshold == "majority":
        return 2 * votes_for > cast
    if threshold == "two_thirds":
        return 3 * votes_for >= 2 * cast
    if threshold == "three_quarters":
        return 4 * votes_for >= 3 * cast
    raise RuleInvalid(f"Ambang keputusan '{threshold}' tidak dikenal.")


@dataclass(frozen=True)
class Decision:
    votes_for: int
    votes_against: int
    votes_abstain: int
    turnout: int
    passed: bool


def decide(threshold: str, votes_for: int, votes_against: int, votes_abstain: int) -> Decision:
    return Decision(
        votes_for,
        votes_against,
        votes_abstain,
        votes_for + votes_against + votes_abstain,
        threshold_met(threshold, votes_for, votes_against),
    )


@dataclass(frozen=True)
class Election:
    elected: list = field(default_factory=list)  # keys, most votes first
    runoff: list = field(default_factory=list)  # keys tied for the last seat(s)
    runoff_seats: int = 0


def elect(votes: dict, seats: int) -> Election:
    """Elect ``seats`` of the candidates ``{key: votes}``; ties for the last seat go to a run-off.

    Order among equal votes follows the order of ``votes`` (stable), for display only.
    """
    if seats <= 0:
        raise RuleInvalid("Jumlah kursi harus paling sedikit 1.")
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) <= seats:
        return Election(elected=[k for k, _ in ranked])
    cut = ranked[seats - 1][1]
    above = [k for k, v in ranked if v > cut]
    tied = [k for k, v in ranked if v == cut]
    left = seats - len(above)
    if len(tied) <= left:
        return Election(elected=above + tied)
    return Election(elected=above, runoff=tied, runoff_seats=left)
