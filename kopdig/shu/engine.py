"""The SHU arithmetic (domain §6), a pure function: no database, no Django models.

    result = simulate(shu=Decimal("2000000"), lines=[AllocLine("Jasa modal", "20", "jasa_modal"), ...],
                      simpanan={"00001": Decimal("500000"), ...}, transaksi={"00001": Decimal("1000000"), ...})

Rules:
- Allocation lines are percentages of the whole SHU ("20" means 20%); they must total exactly
  100 and contain exactly one ``jasa_modal`` and one ``jasa_usaha`` line.
- Pools: the SHU is split over the lines with the largest-remainder method (the rule of
  ``kopdig.lib.money.split``, computed in exact integers), so the pools
  sum exactly to the SHU.
- JM_i = simpanan_i / Σ simpanan × JM pool; JU_i = transaksi_i / Σ transaksi × JU pool, each
  split to the sen with the largest-remainder method over the members **in member-number order**:
  every share is first rounded down to the sen; the leftover sen go one each to the members
  with the largest remainders, ties to the lower member number. Σ JM_i = JM pool and
  Σ JU_i = JU pool exactly.
- A weighted mix of transaksi bases (e.g. 50% jasa pinjaman, 50% purchases) splits the JU pool
  first into sub-pools by the weights, then each sub-pool by its own basis.
- Optional separate allocation of SHU from non-member business: ``non_member_shu`` is divided
  over ``non_member_lines`` (which total 100 and carry no JM/JU line); the member lines divide
  the rest (``shu - non_member_shu``).
- Withholding tax per member: tax_i = total_i × tax% rounded half-up to the sen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kopdig.lib.errors import DomainError
from kopdig.lib.money import CENT, ZERO, D, q, split

JASA_MODAL = "jasa_modal"
JASA_USAHA = "jasa_usaha"
ROLES = (JASA_MODAL, JASA_USAHA, "cadangan", "other")
HUNDRED = Decimal(100)


class AllocationInvalid(DomainError):
    pass


class ShuNotDivisible(DomainError):
    pass


@dataclass
class AllocLine:
    name: str
    percent: Decimal
    role: str
    account_key: str = ""
    amount: Decimal = ZERO

    def __post_init__(self):
        self.percent = D(self.percent)


@dataclass
class MemberResult:
    key: str
    simpanan: Decimal
    transaksi: Decimal
    jm: Decimal
    ju: Decimal
    total: Decimal
    tax: Decimal
    net: Decimal


@dataclass
class Result:
    shu: Decimal
    member_shu: Decimal
    non_member_shu: Decimal
    lines: list[AllocLine]
    non_member_lines: list[AllocLine]
    jm_pool: Decimal
    ju_pool: Decimal
    members: list[MemberResult] = field(default_factory=list)
    simpanan_total: Decimal = ZERO
    transaksi_total: Decimal = ZERO

    @property
    def totals(self) -> dict:
        return {
            "jm": sum((m.jm for m in self.members), ZERO),
            "ju": sum((m.ju for m in self.members), ZERO),
            "total": sum((m.total for m in self.members), ZERO),
            "tax": sum((m.tax for m in self.members), ZERO),
            "net": sum((m.net for m in self.members), ZERO),
        }


def validate_lines(lines: Sequence[AllocLine], *, member_pool: bool = True) -> None:
    """Refuse an allocation that does not total exactly 100% or lacks exactly one JM and one JU line."""
    if not lines:
        raise AllocationInvalid("Alokasi SHU belum diisi.")
    for ln in lines:
        if ln.role not in ROLES:
            raise AllocationInvalid(f"Peran alokasi '{ln.role}' tidak dikenal.")
        if ln.percent < 0:
            raise AllocationInvalid(f"Persentase '{ln.name}' tidak boleh negatif.")
        if not (ln.name or "").strip():
            raise AllocationInvalid("Setiap baris alokasi harus bernama.")
    total = sum((ln.percent for ln in lines), Decimal(0))
    label = "Alokasi SHU" if member_pool else "Alokasi SHU non-anggota"
    if total != HUNDRED:
        raise AllocationInvalid(f"{label} harus berjumlah tepat 100%, sekarang {total.normalize():f}%.")
    jm = sum(1 for ln in lines if ln.role == JASA_MODAL)
    ju = sum(1 for ln in lines if ln.role == JASA_USAHA)
    if member_pool and (jm != 1 or ju != 1):
        raise AllocationInvalid(
            "Alokasi SHU harus memuat tepat satu baris jasa modal dan tepat satu baris jasa usaha."
        )
    if not member_pool and (jm or ju):
        raise AllocationInvalid("Alokasi SHU non-anggota tidak boleh memuat jasa modal atau jasa usaha.")


def _pools(amount: Decimal, lines: Sequence[AllocLine]) -> list[AllocLine]:
    parts = split(amount, [ln.percent for ln in lines])
    return [
        AllocLine(ln.name, ln.percent, ln.role, ln.account_key, part)
        for ln, part in zip(lines, parts, strict=True)
    ]


def _split_by(pool: Decimal, keys: Sequence[str], basis: Mapping[str, Decimal], what: str) -> list[Decimal]:
    weights = [basis.get(k, ZERO) or ZERO for k in keys]
    if pool == 0:
        return [ZERO] * len(keys)
    if not any(weights):
        raise ShuNotDivisible(f"Tidak ada dasar {what} (jumlahnya nol): pool tidak dapat dibagi ke anggota.")
    return split(pool, weights)


def _checked_amounts(shu, non_member_shu, tax_percent, lines, non_member_lines) -> None:
    if shu <= 0:
        raise ShuNotDivisible("SHU tahun ini nol atau negatif (rugi): tidak ada SHU untuk dibagi.")
    if tax_percent < 0 or tax_percent > HUNDRED:
        raise AllocationInvalid("Persentase pajak SHU harus antara 0 dan 100.")
    validate_lines(lines)
    if non_member_shu:
        if non_member_shu < 0 or non_member_shu > shu:
            raise AllocationInvalid("SHU non-anggota harus antara nol dan SHU seluruhnya.")
        validate_lines(list(non_member_lines), member_pool=False)


def _transaksi_bases(transaksi) -> list[tuple[Decimal, Mapping[str, Decimal]]]:
    """Transaksi: one basis, or weighted sub-bases each with its own sub-pool."""
    if isinstance(transaksi, Mapping):
        return [(HUNDRED, transaksi)]
    bases = [(D(w), b) for w, b in transaksi if D(w) > 0]
    if not bases or sum((w for w, _ in bases), Decimal(0)) != HUNDRED:
        raise AllocationInvalid("Bobot dasar transaksi harus berjumlah tepat 100%.")
    return bases


def _member_keys(simpanan, bases, order) -> list[str]:
    """Every member with a simpanan or transaksi figure: ``order`` first, the rest sorted."""
    keys = set(simpanan)
    for _, b in bases:
        keys.update(b)
    ordered = [k for k in (order if order is not None else sorted(keys)) if k in keys]
    seen = set(ordered)
    return ordered + sorted(k for k in set(simpanan).union(*[set(b) for _, b in bases]) if k not in seen)


def _jasa_usaha(ju_pool: Decimal, keys, bases) -> list[Decimal]:
    ju = [ZERO] * len(keys)
    sub_pools = split(ju_pool, [w for w, _ in bases])
    for (_, basis), sub_pool in zip(bases, sub_pools, strict=True):
        for i, part in enumerate(_split_by(sub_pool, keys, basis, "transaksi")):
            ju[i] += part
    return ju


def _transaksi_values(keys, bases) -> list[Decimal]:
    if len(bases) == 1:
        only = bases[0][1]
        return [only.get(k) or ZERO for k in keys]
    return [sum(((b.get(k) or ZERO) for _, b in bases), ZERO) for k in keys]


def _member_results(keys, svals, tvals, jm, ju, tax_percent) -> list[MemberResult]:
    rate = tax_percent / HUNDRED
    members = []
    for k, sv, tv, jm_i, ju_i in zip(keys, svals, tvals, jm, ju, strict=True):
        total = jm_i + ju_i
        tax = (total * rate).quantize(CENT, ROUND_HALF_UP) if rate else ZERO
        members.append(
            MemberResult(
                k,
                sv.quantize(CENT, ROUND_HALF_UP),
                tv.quantize(CENT, ROUND_HALF_UP),
                jm_i,
                ju_i,
                total,
                tax,
                total - tax,
            )
        )
    return members


def simulate(
    *,
    shu,
    lines: Sequence[AllocLine],
    simpanan: Mapping[str, Decimal],
    transaksi: Mapping[str, Decimal] | Sequence[tuple[Decimal, Mapping[str, Decimal]]],
    non_member_shu=ZERO,
    non_member_lines: Sequence[AllocLine] = (),
    tax_percent=ZERO,
    order: Sequence[str] | None = None,
) -> Result:
    """Pools and every member's JM, JU, total, tax and net. ``order`` is the member order for
    ties (default: sorted keys, i.e. member-number order)."""
    shu = q(shu)
    non_member_shu = q(non_member_shu or 0)
    tax_percent = D(tax_percent or 0)
    lines = list(lines)
    _checked_amounts(shu, non_member_shu, tax_percent, lines, non_member_lines)
    member_shu = shu - non_member_shu
    pooled = _pools(member_shu, lines)
    nm_pooled = _pools(non_member_shu, non_member_lines) if non_member_shu else []
    jm_pool = next(ln.amount for ln in pooled if ln.role == JASA_MODAL)
    ju_pool = next(ln.amount for ln in pooled if ln.role == JASA_USAHA)
    bases = _transaksi_bases(transaksi)
    keys = _member_keys(simpanan, bases, order)
    jm = _split_by(jm_pool, keys, simpanan, "simpanan")
    ju = _jasa_usaha(ju_pool, keys, bases)
    svals = [simpanan.get(k) or ZERO for k in keys]
    tvals = _transaksi_values(keys, bases)
    return Result(
        shu=shu,
        member_shu=member_shu,
        non_member_shu=non_member_shu,
        lines=pooled,
        non_member_lines=nm_pooled,
        jm_pool=jm_pool,
        ju_pool=ju_pool,
        members=_member_results(keys, svals, tvals, jm, ju, tax_percent),
        simpanan_total=sum(svals, ZERO),
        transaksi_total=sum(tvals, ZERO),
    )


DEFAULT_LINES = [
    # name, percent, role, target account (system key)
    ("Cadangan", "40", "cadangan", "cadangan"),
    ("Jasa modal", "20", JASA_MODAL, "dana_shu_anggota"),
    ("Jasa usaha", "20", JASA_USAHA, "dana_shu_anggota"),
    ("Dana pengurus", "5", "other", "dana_pengurus"),
    ("Dana karyawan", "5", "other", "dana_karyawan"),
    ("Dana pendidikan", "5", "other", "dana_pendidikan"),
    ("Dana sosial", "2.5", "other", "dana_sosial"),
    ("Dana pembangunan daerah kerja", "2.5", "other", "dana_pdk"),
]

DEFAULT_NON_MEMBER_LINES = [
    ("Cadangan", "60", "cadangan", "cadangan"),
    ("Dana pengurus", "10", "other", "dana_pengurus"),
    ("Dana karyawan", "10", "other", "dana_karyawan"),
    ("Dana pendidikan", "10", "other", "dana_pendidikan"),
    ("Dana sosial", "10", "other", "dana_sosial"),
]


def default_lines() -> list[AllocLine]:
    return [AllocLine(n, D(p), r, a) for n, p, r, a in DEFAULT_LINES]


def default_non_member_lines() -> list[AllocLine]:
    return [AllocLine(n, D(p), r, a) for n, p, r, a in DEFAULT_NON_MEMBER_LINES]
