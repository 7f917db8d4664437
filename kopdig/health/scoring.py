"""Health scores from a rubric, book figures and an examiner's answers (pure: no database, no Django).

A rubric is data (``data/*.json``, the ``Rubric`` rows): aspects with weights, each with
indicators of one of four kinds:

- ``ratio``: a formula over named book figures (``FIGURES``), e.g. ``total_ekuitas / total_aset``,
  evaluated exactly in Decimal as a percentage, then placed on a ladder;
- ``checklist``: yes/no items; the share fulfilled (percent) is placed on a ladder;
- ``points``: yes/no items with points each; nilai = points of the "ya" items / all points × 100;
- ``manual``: the examiner enters the score (a ladder or formula the sources do not give).

Ladders. A band ladder is a list of bands ``{"gt"|"ge": lower, "lt"|"le": upper, "score": s}``;
intervals are half-open as written: ``gt`` = strictly above, ``ge`` = at or above, ``lt`` =
strictly below, ``le`` = at or below; a band without a lower (upper) bound is open to −∞ (+∞).
The bands must cover the line with no gap or overlap (``validate_rubric``). A linear ladder
``{"linear": {"origin": o, "slope": s, "floor": f, "cap": c}}`` gives
``clamp(s × trunc(x − o), f, c)``: whole percentage points only ("+2 per 1% below 45").

Scores. An indicator scores 1–4 (scheme ``score4``, KKPKK) or a nilai 0–100 (scheme ``nilai``,
Perdep 06/2016); each has a weight. Aspect score (0–100) = Σ score × weight / Σ max × weight × 100
over its counted indicators, which for equal weights is Σ scores / (n × 4) × 100 (KKPKK) and for
Perdep gives a total of Σ nilai × weight / 100. Total = Σ aspect score × aspect weight / 100.
Aspect scores and the total are rounded half up to 0.01; the predicate comes from the rounded
total and the rubric's cut-offs (≥ sehat → Sehat, ≥ cukup → Cukup Sehat, ≥ pengawasan →
Dalam Pengawasan, else Dalam Pengawasan Khusus).

Not counted, always with a reason: an indicator that does not apply (the rubric's
``applies_if`` fact is false, or the examiner says so) is left out of its aspect's denominator;
a ratio whose denominator is zero or whose figure is missing is *not computable* (never 0);
an indicator marked ``counted: false`` (thresholds unconfirmed) is shown for information only.
An indicator still waiting for the examiner (unanswered items, manual score missing) is
*unscored*: the result is incomplete and the total is withheld until every counted aspect has
a score.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The book figures a formula may name (the selectors compute each from the ledger, or the
# examiner enters them from reported statements).
FIGURES = {
    "total_aset": "Total aset",
    "total_kewajiban": "Total kewajiban",
    "total_ekuitas": "Total ekuitas (modal sendiri)",
    "total_ekuitas_lalu": "Total ekuitas tahun lalu",
    "kas": "Kas dan bank",
    "aset_likuid": "Aset likuid",
    "aset_produktif": "Aset produktif",
    "piutang_pinjaman": "Pinjaman diberikan (beredar, bruto)",
    "cadangan_risiko": "Cadangan risiko pinjaman",
    "pinjaman_neto": "Pinjaman beredar neto",
    "pinjaman_anggota": "Pinjaman kepada anggota",
    "pinjaman_berisiko": "Pinjaman berisiko (kurang lancar, diragukan, macet)",
    "rpm": "Risiko pinjaman macet (RPM)",
    "modal_tertimbang": "Modal tertimbang",
    "atmr": "Aset tertimbang menurut risiko (ATMR)",
    "dana_diterima": "Dana yang diterima",
    "pendapatan": "Total pendapatan",
    "pendapatan_non_anggota": "Pendapatan dari non-anggota",
    "partisipasi_bruto": "Partisipasi bruto",
    "beban_pokok_partisipasi": "Beban pokok partisipasi",
    "partisipasi_neto": "Partisipasi neto",
    "hpp": "Harga pokok penjualan",
    "shu_kotor": "SHU kotor",
    "beban_usaha": "Beban usaha",
    "beban_perkoperasian": "Beban perkoperasian",
    "shu": "SHU tahun berjalan",
    "shu_lalu": "SHU tahun lalu",
}
FACTS = {"lends": "Koperasi memberikan pinjaman (KSP/USP atau pinjaman beredar)"}
KINDS = ("ratio", "checklist", "points", "manual")
SCHEMES = {"score4": (Decimal(1), Decimal(4)), "nilai": (Decimal(0), HUNDRED)}

SEHAT, CUKUP, PENGAWASAN, KHUSUS = "sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"

# Result statuses of one indicator.
SCORED, NOT_APPLICABLE, NOT_COMPUTABLE, UNSCORED, INFO = (
    "scored",
    "not_applicable",
    "not_computable",
    "unscored",
    "info",
)


class NotComputable(Exception):
    """A formula cannot be evaluated (zero denominator, missing figure); the message says why."""


# --------------------------------------------------------------------------- formulas

_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


def formula_names(formula: str) -> set[str]:
    """The figure names a formula uses; ValueError when it is not a plain arithmetic formula."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"rumus tidak dapat dibaca: {formula!r}") from exc
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif not isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.Constant,
                ast.Load,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.UnaryOp,
                ast.USub,
            ),
        ):
            raise ValueError(
                f"rumus hanya boleh berisi angka, nama angka buku, + - * / dan kurung: {formula!r}"
            )
        elif isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError(f"rumus berisi nilai yang bukan angka: {formula!r}")
    return names


def evaluate_formula(formula: str, figures: dict) -> Decimal:
    """The formula's exact value; NotComputable for a zero denominator or a missing figure."""
    return _eval(ast.parse(formula, mode="eval").body, figures)


def _eval(node, figures) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        value = figures.get(node.id)
        if value is None:
            raise NotComputable(f"angka «{FIGURES.get(node.id, node.id)}» tidak tersedia")
        return Decimal(value)
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, figures)
    left, right = _eval(node.left, figures), _eval(node.right, figures)
    if isinstance(node.op, ast.Div):
        if right == 0:
            raise NotComputable(f"pembagi «{_describe(node.right)}» bernilai nol")
        return left / right
    return _OPS[type(node.op)](left, right)


_SYMBOLS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/"}


def _describe(node) -> str:
    """A formula part in the reader's words: figure labels, not their keys."""
    if isinstance(node, ast.Name):
        return FIGURES.get(node.id, node.id)
    if isinstance(node, ast.UnaryOp):
        return f"−{_describe(node.operand)}"
    if isinstance(node, ast.BinOp):
        parts = [
            f"({_describe(side)})" if isinstance(side, ast.BinOp) else _describe(side)
            for side in (node.left, node.right)
        ]
        return f"{parts[0]} {_SYMBOLS[type(node.op)]} {parts[1]}"
    return ast.unparse(node)


# --------------------------------------------------------------------------- ladders


def _bound(band, *keys):
    for key in keys:
        if band.get(key) not in (None, ""):
            return key, Decimal(str(band[key]))
    return None, None


def band_contains(band: dict, x: Decimal) -> bool:
    lo_key, lo = _bound(band, "gt", "ge")
    hi_key, hi = _bound(band, "lt", "le")
    if lo_key == "gt" and not x > lo or lo_key == "ge" and not x >= lo:
        return False
    return not (hi_key == "lt" and not x < hi or hi_key == "le" and not x <= hi)


def ladder_score(ladder, x: Decimal) -> Decimal:
    """The score of ``x`` (a percentage) on a band or linear ladder."""
    if isinstance(ladder, dict) and "linear" in ladder:
        return linear_score(ladder["linear"], x)
    for band in ladder:
        if band_contains(band, x):
            return Decimal(str(band["score"]))
    raise NotComputable(f"nilai {x} tidak masuk satu pun rentang tangga skor")


def linear_score(spec: dict, x: Decimal) -> Decimal:
    steps = (x - Decimal(str(spec.get("origin", 0)))).to_integral_value(rounding=ROUND_DOWN)
    raw = Decimal(str(spec["slope"])) * steps
    return min(max(raw, Decimal(str(spec.get("floor", 0)))), Decimal(str(spec.get("cap", 100))))


def ladder_problems(ladder, lo_score: Decimal, hi_score: Decimal) -> list[str]:
    """Why a ladder is not valid (empty list: valid): gaps, overlaps, scores out of range."""
    if isinstance(ladder, dict):
        spec = ladder.get("linear")
        if not isinstance(spec, dict) or "slope" not in spec:
            return ["tangga linear memerlukan «slope»"]
        try:
            if Decimal(str(spec["slope"])) == 0:
                return ["kemiringan tangga linear tidak boleh nol"]
        except InvalidOperation:
            return ["kemiringan tangga linear bukan angka"]
        return []
    if not isinstance(ladder, list) or not ladder:
        return ["tangga skor kosong"]
    try:
        bands = sorted(
            ladder, key=lambda b: (_bound(b, "gt", "ge")[1] is not None, _bound(b, "gt", "ge")[1] or 0)
        )
        return _band_problems(bands, lo_score, hi_score)
    except (InvalidOperation, TypeError, KeyError):
        return ["batas atau skor tangga bukan angka"]


def _band_problems(bands, lo_score, hi_score) -> list[str]:
    out = []
    for b in bands:
        if not lo_score <= Decimal(str(b["score"])) <= hi_score:
            out.append(f"skor {b['score']} di luar rentang {lo_score}–{hi_score}")
    if _bound(bands[0], "gt", "ge")[0] is not None:
        out.append(f"celah: tidak ada rentang di bawah {_bound(bands[0], 'gt', 'ge')[1]}")
    if _bound(bands[-1], "lt", "le")[0] is not None:
        out.append(f"celah: tidak ada rentang di atas {_bound(bands[-1], 'lt', 'le')[1]}")
    for prev, nxt in zip(bands, bands[1:], strict=False):
        out += _joint_problems(prev, nxt)
    return out


def _joint_problems(prev, nxt) -> list[str]:
    hi_key, hi = _bound(prev, "lt", "le")
    lo_key, lo = _bound(nxt, "gt", "ge")
    if hi_key is None:
        return [f"tumpang tindih: rentang tanpa batas atas sebelum rentang dari {lo}"]
    if lo < hi or (lo == hi and hi_key == "le" and lo_key == "ge"):
        return [f"tumpang tindih di sekitar {hi}"]
    if lo > hi or (hi_key == "lt" and lo_key == "gt"):
        return [f"celah antara {hi} dan {lo}"]
    return []


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class Problem:
    row: str  # where: "aspek tata_kelola", "indikator kkpkk_ekuitas_aset", or a spreadsheet row
    reason: str

    def __str__(self):
        return f"{self.row}: {self.reason}"


def _dec(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def validate_rubric(data: dict) -> list[Problem]:
    """Every reason the rubric cannot be loaded (empty list: valid): aspect weights that do not
    total 100, ladders with gaps or overlaps, formulas naming unknown figures, …"""
    out = _validate_head(data)
    aspects = data.get("aspects") or []
    if not aspects:
        return out + [Problem("rubrik", "tidak ada aspek")]
    total = sum((_dec(a.get("weight")) or Decimal(0) for a in aspects), Decimal(0))
    if total != HUNDRED:
        out.append(Problem("aspek", f"jumlah bobot aspek {total}, harus 100"))
    lo, hi = SCHEMES.get(data.get("scheme"), SCHEMES["score4"])
    seen: set[str] = set()
    for aspect in aspects:
        where = aspect.get("row") or f"aspek {aspect.get('code')}"
        if _dec(aspect.get("weight")) is None or _dec(aspect["weight"]) < 0:
            out.append(Problem(where, "bobot aspek bukan angka positif"))
        if not aspect.get("indicators"):
            out.append(Problem(where, "aspek tanpa indikator"))
        for ind in aspect.get("indicators") or []:
            out += _validate_indicator(ind, lo, hi, seen)
        out += _validate_weights(where, data.get("scheme"), aspect)
    return out


def _validate_weights(where, scheme, aspect) -> list[Problem]:
    """Scheme ``nilai`` (Perdep): an aspect's indicator weights add up to the aspect's weight."""
    if scheme != "nilai":
        return []
    weights = [_dec(i.get("weight", 1)) or Decimal(0) for i in aspect.get("indicators") or []]
    total, want = sum(weights, Decimal(0)), _dec(aspect.get("weight"))
    return (
        []
        if total == want
        else [Problem(where, f"jumlah bobot indikator {total}, harus {want} (bobot aspek)")]
    )


def _validate_head(data) -> list[Problem]:
    out = []
    if not str(data.get("code") or "").strip():
        out.append(Problem("rubrik", "kode rubrik kosong"))
    if not isinstance(data.get("version"), int) or data["version"] < 1:
        out.append(Problem("rubrik", "versi harus bilangan bulat ≥ 1"))
    if data.get("scheme") not in SCHEMES:
        out.append(Problem("rubrik", f"skema {data.get('scheme')!r} tidak dikenal (score4 atau nilai)"))
    cut = data.get("cutoffs") or {}
    values = [_dec(cut.get(k)) for k in (SEHAT, CUKUP, PENGAWASAN)]
    if None in values or not values[0] > values[1] > values[2]:
        out.append(
            Problem("rubrik", "batas predikat harus angka menurun: sehat > cukup sehat > dalam pengawasan")
        )
    return out


def _validate_indicator(ind, lo, hi, seen) -> list[Problem]:
    where = ind.get("row") or f"indikator {ind.get('code')}"
    out = []
    code, kind = ind.get("code"), ind.get("kind")
    if not code:
        out.append(Problem(where, "kode indikator kosong"))
    elif code in seen:
        out.append(Problem(where, f"kode indikator {code} ganda"))
    seen.add(code)
    if kind not in KINDS:
        return out + [Problem(where, f"jenis {kind!r} tidak dikenal ({', '.join(KINDS)})")]
    if _dec(ind.get("weight", 1)) is None or _dec(ind.get("weight", 1)) <= 0:
        out.append(Problem(where, "bobot indikator harus angka positif"))
    if ind.get("applies_if") and ind["applies_if"] not in FACTS:
        out.append(Problem(where, f"syarat berlaku {ind['applies_if']!r} tidak dikenal"))
    return out + _validate_kind(where, ind, kind, lo, hi)


def _validate_kind(where, ind, kind, lo, hi) -> list[Problem]:
    out = []
    if kind == "ratio":
        out += _validate_formula(where, ind.get("formula"))
    if kind in ("checklist", "points") and not ind.get("items"):
        out.append(Problem(where, "daftar periksa tanpa butir"))
    if kind == "points" and any(_dec(i.get("points")) is None for i in ind.get("items") or []):
        out.append(Problem(where, "setiap butir poin memerlukan angka «points»"))
    ladder = ind.get("ladder")
    if (
        kind in ("ratio", "checklist")
        and ladder is None
        and ind.get("counted", True)
        and not ind.get("unconfirmed")
    ):
        out.append(
            Problem(
                where, "indikator terhitung tanpa tangga skor (tandai belum terkonfirmasi atau isi tangga)"
            )
        )
    if ladder is not None:
        out += [Problem(where, p) for p in ladder_problems(ladder, lo, hi)]
    return out


def _validate_formula(where, formula) -> list[Problem]:
    if not formula:
        return [Problem(where, "indikator rasio tanpa rumus")]
    try:
        unknown = formula_names(formula) - set(FIGURES)
    except ValueError as exc:
        return [Problem(where, str(exc))]
    return (
        [Problem(where, f"rumus menyebut angka yang tidak dikenal: {', '.join(sorted(unknown))}")]
        if unknown
        else []
    )


# --------------------------------------------------------------------------- scoring


@dataclass
class IndicatorResult:
    code: str
    name: str
    kind: str
    weight: Decimal
    max_score: Decimal
    status: str = UNSCORED
    value: Decimal | None = None  # the ratio or share, percent (exact)
    score: Decimal | None = None
    reason: str = ""
    unconfirmed: bool = False
    manual: bool = False
    fulfilled: int = 0
    items: int = 0

    @property
    def counted(self) -> bool:
        return self.status == SCORED

    @property
    def contribution(self) -> Decimal | None:
        """score × weight / 100 (Perdep's "skor" of an indicator)."""
        return None if self.score is None else (self.score * self.weight / HUNDRED)


@dataclass
class AspectResult:
    code: str
    name: str
    weight: Decimal
    indicators: list[IndicatorResult] = field(default_factory=list)
    score: Decimal | None = None
    reason: str = ""

    @property
    def complete(self) -> bool:
        return not any(i.status == UNSCORED for i in self.indicators)

    @property
    def weighted(self) -> Decimal | None:
        """The aspect's share of the total: score × weight / 100."""
        return (
            None
            if self.score is None
            else (self.score * self.weight / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        )


@dataclass
class Result:
    aspects: list[AspectResult]
    total: Decimal | None = None
    predicate: str = ""
    missing: list[str] = field(default_factory=list)  # what keeps the total back

    @property
    def complete(self) -> bool:
        return self.total is not None and not self.missing

    def indicators(self):
        return [i for a in self.aspects for i in a.indicators]


def predicate_for(total: Decimal, cutoffs: dict) -> str:
    if total >= Decimal(str(cutoffs[SEHAT])):
        return SEHAT
    if total >= Decimal(str(cutoffs[CUKUP])):
        return CUKUP
    if total >= Decimal(str(cutoffs[PENGAWASAN])):
        return PENGAWASAN
    return KHUSUS


def evaluate(rubric: dict, figures: dict, facts: dict | None = None, answers: dict | None = None) -> Result:
    """Score every indicator, aspect and the total. ``answers``: {indicator code: {"items":
    {item code: True/False/None}, "manual_score": Decimal or None, "not_applicable": reason}}."""
    facts, answers = facts or {}, answers or {}
    lo, hi = SCHEMES[rubric["scheme"]]
    aspects = []
    for a in rubric["aspects"]:
        res = AspectResult(a["code"], a["name"], Decimal(str(a["weight"])))
        res.indicators = [
            score_indicator(i, figures, facts, answers.get(i["code"]) or {}, hi) for i in a["indicators"]
        ]
        _aspect_score(res)
        aspects.append(res)
    return _total(rubric, aspects)


def _aspect_score(res: AspectResult) -> None:
    counted = [i for i in res.indicators if i.counted]
    if not res.complete:
        res.reason = "masih ada indikator yang belum dinilai"
    elif not counted:
        res.reason = "tidak ada indikator yang dapat dinilai"
    else:
        got = sum((i.score * i.weight for i in counted), Decimal(0))
        best = sum((i.max_score * i.weight for i in counted), Decimal(0))
        res.score = (got / best * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def _total(rubric, aspects) -> Result:
    result = Result(aspects)
    result.missing = [f"{a.name}: {a.reason}" for a in aspects if a.score is None]
    if not result.missing:
        total = sum((a.score * a.weight / HUNDRED for a in aspects), Decimal(0))
        result.total = total.quantize(CENT, rounding=ROUND_HALF_UP)
        result.predicate = predicate_for(result.total, rubric["cutoffs"])
    return result


def score_indicator(
    ind: dict, figures: dict, facts: dict, answer: dict, max_score: Decimal
) -> IndicatorResult:
    res = IndicatorResult(
        ind["code"],
        ind["name"],
        ind["kind"],
        Decimal(str(ind.get("weight", 1))),
        max_score,
        unconfirmed=bool(ind.get("unconfirmed")),
    )
    rule = ind.get("applies_if")
    if rule and not facts.get(rule, False):
        return _set(
            res, NOT_APPLICABLE, ind.get("not_applicable_reason") or f"tidak berlaku: {FACTS[rule]} — tidak"
        )
    if answer.get("not_applicable"):
        return _set(res, NOT_APPLICABLE, str(answer["not_applicable"]))
    try:
        _measure(res, ind, figures, answer)
    except NotComputable as exc:
        if answer.get("manual_score") not in (None, ""):
            res.score, res.manual = Decimal(str(answer["manual_score"])), True
            return _set(res, SCORED, f"skor diisi pemeriksa ({exc}): {answer.get('note') or ''}".rstrip(": "))
        if not ind.get("counted", True):
            return _set(
                res, INFO, f"hanya informasi (ambang belum terkonfirmasi); tidak dapat dihitung: {exc}"
            )
        return _set(res, NOT_COMPUTABLE, f"tidak dapat dihitung: {exc}")
    return _judge(res, ind, answer)


def _set(res, status, reason):
    res.status, res.reason = status, reason
    return res


def _measure(res, ind, figures, answer) -> None:
    """Fill the value (ratio or share, percent) of an indicator."""
    if ind["kind"] == "ratio":
        res.value = evaluate_formula(ind["formula"], figures) * HUNDRED
    elif ind["kind"] in ("checklist", "points"):
        marks = answer.get("items") or {}
        items = ind["items"]
        res.items = len(items)
        res.fulfilled = sum(1 for i in items if marks.get(i["code"]) is True)
        if all(marks.get(i["code"]) in (True, False) for i in items):
            if ind["kind"] == "checklist":
                res.value = Decimal(res.fulfilled) / Decimal(res.items) * HUNDRED
            else:
                all_points = sum((Decimal(str(i["points"])) for i in items), Decimal(0))
                got = sum(
                    (Decimal(str(i["points"])) for i in items if marks.get(i["code"]) is True), Decimal(0)
                )
                res.value = got / all_points * HUNDRED if all_points else Decimal(0)


def _judge(res, ind, answer) -> IndicatorResult:
    manual = answer.get("manual_score")
    if manual not in (None, ""):
        res.score, res.manual = Decimal(str(manual)), True
        return _set(res, SCORED, str(answer.get("note") or "skor diisi pemeriksa"))
    if not ind.get("counted", True):
        return _set(res, INFO, "hanya informasi: ambang skor belum terkonfirmasi")
    if res.value is None:
        return _set(
            res,
            UNSCORED,
            "butir daftar periksa belum semua dijawab" if res.items else "skor belum diisi pemeriksa",
        )
    if ind["kind"] == "points":
        res.score = res.value.quantize(CENT, rounding=ROUND_HALF_UP)
        return _set(res, SCORED, f"{res.fulfilled} dari {res.items} butir «ya»")
    if ind.get("ladder") is None:
        return _set(res, UNSCORED, "tangga skor belum terkonfirmasi: skor diisi pemeriksa")
    res.score = ladder_score(ind["ladder"], res.value)
    return _set(res, SCORED, _explain(res, ind))


def _num(value) -> str:
    return str(value).replace(".", ",")


def band_text(band: dict) -> str:
    """A band as Indonesian users read it: "> 20% dan ≤ 30%"."""
    signs = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
    parts = [
        f"{signs[k]} {_num(band[k])}%" for k in ("gt", "ge", "lt", "le") if band.get(k) not in (None, "")
    ]
    return " dan ".join(parts) or "semua nilai"


def _explain(res, ind) -> str:
    ladder = ind["ladder"]
    if isinstance(ladder, dict):
        spec = ladder["linear"]
        slope, origin = Decimal(str(spec["slope"])), Decimal(str(spec.get("origin", 0)))
        rule = f"{'+' if slope > 0 else ''}{_num(slope)} per 1%" + (
            f" dari {_num(origin)}%" if origin else ""
        )
    else:
        rule = band_text(next(b for b in ladder if band_contains(b, res.value)))
    if ind["kind"] == "checklist":
        return f"{res.fulfilled} dari {res.items} butir terpenuhi; {rule} → skor {res.score}"
    return f"{rule} → skor {res.score}"
