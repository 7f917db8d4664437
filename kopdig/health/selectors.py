"""Health reads: book figures of a cooperative and year (from the ledger's statements, which read
the month balance caches, never the journal), rubric definitions, examinations and their live
scores, and the Dinas lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kopdig.dinas import selectors as dinas_selectors
from kopdig.ledger import statements
from kopdig.ledger.chart import TEMPLATE
from kopdig.lib.money import ZERO, q
from kopdig.loans import selectors as loan_selectors
from kopdig.tenancy.models import Cooperative

from . import scoring
from .models import Assessment, Evidence, Examination, FollowUp, Indicator, Rubric

KEY_OF_CODE = {row[0]: row[6] for row in TEMPLATE if row[6]}
RISKY = ("kurang_lancar", "diragukan", "macet")
MODAL_100 = ("simpanan_pokok", "simpanan_wajib", "cadangan", "hibah")
MODAL_50 = ("shu_belum_dibagi",)
DANA_DITERIMA = (
    "simpanan_sukarela",
    "simpanan_berjangka",
    "utang_bank",
    "utang_lpdb",
    "simpanan_pokok",
    "simpanan_wajib",
)
PRODUCTIVE = ("bank", "piutang_usaha", "persediaan", "penyertaan")


@dataclass
class BookFigure:
    name: str
    value: Decimal | None
    accounts: list = field(default_factory=list)  # [(code, name)] behind the figure
    note: str = ""

    @property
    def label(self) -> str:
        return scoring.FIGURES.get(self.name, self.name)


# --------------------------------------------------------------------------- book figures


def _year_bounds(cooperative, year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, cooperative.book_year_start_month or 1, 1)
    return start, start.replace(year=year + 1) - dt.timedelta(days=1)


def _account_rows(section) -> list:
    return [r for r in section.rows if r.kind == "account"]


def _grouped(section) -> dict[str, list]:
    """{group code: [rows]} of a statement section (rows follow their group row)."""
    out: dict[str, list] = {}
    group = ""
    for r in section.rows:
        if r.kind == "group":
            group = r.code
        elif r.kind == "account":
            out.setdefault(group or r.code[:2], []).append(r)
    return out


def _sum_keys(rows, keys, weight=Decimal(1)) -> tuple[Decimal, list]:
    chosen = [r for r in rows if KEY_OF_CODE.get(r.code) in keys]
    return sum((r.amount * weight for r in chosen), ZERO), [(r.code, r.name) for r in chosen]


def book_figures(cooperative, year: int) -> dict[str, BookFigure]:
    """Every figure of ``scoring.FIGURES`` the books give for the book year, with the accounts
    behind it: balances at the year's end from ``statements.balance_sheet`` (which also gives
    the previous year-end), the year's ``statements.income_statement`` (closing entries left
    out), RPM from the last arrears run by the year end. Both statements read the month balance
    caches only (a year ends on a month end), never the journal. A figure the books cannot give (ATMR) is None."""
    start, end = _year_bounds(cooperative, year)
    bs = statements.balance_sheet(cooperative, end)
    pl = statements.income_statement(cooperative, start, end)
    out = _position_figures(bs)
    out.update(_income_figures(pl))
    out.update(_loan_figures(cooperative, start, end, out["piutang_pinjaman"].value))
    out.update(_derived_figures(out, bs))
    return out


def _position_figures(bs) -> dict:
    assets, liab, equity = _account_rows(bs["assets"]), _account_rows(bs["liabilities"]), bs["equity"].rows
    prev_exists = any(r.prev for r in _account_rows(bs["assets"]))
    piutang, piutang_acc = _sum_keys(assets, ("piutang_pinjaman",))
    cadangan, cadangan_acc = _sum_keys(assets, ("cadangan_risiko",))
    kas, kas_acc = _sum_keys(assets, ("kas", "bank"))
    f = {
        "total_aset": BookFigure("total_aset", bs["assets"].total, [(r.code, r.name) for r in assets]),
        "total_kewajiban": BookFigure(
            "total_kewajiban", bs["liabilities"].total, [(r.code, r.name) for r in liab]
        ),
        "total_ekuitas": BookFigure(
            "total_ekuitas",
            bs["equity"].total,
            [(r.code, r.name) for r in equity],
            "termasuk SHU tahun berjalan",
        ),
        "total_ekuitas_lalu": BookFigure(
            "total_ekuitas_lalu",
            bs["equity"].prev_total if prev_exists else None,
            [(r.code, r.name) for r in equity],
            "" if prev_exists else "buku tahun lalu kosong",
        ),
        "kas": BookFigure("kas", kas, kas_acc),
        "aset_likuid": BookFigure("aset_likuid", kas, kas_acc, "kas dan bank"),
        "piutang_pinjaman": BookFigure("piutang_pinjaman", piutang, piutang_acc),
        "cadangan_risiko": BookFigure("cadangan_risiko", -cadangan, cadangan_acc, "akun kontra aset"),
    }
    return f


def _income_figures(pl) -> dict:
    groups = _grouped(pl["expenses"])
    hpp_rows, coop_rows = groups.get("51", []), groups.get("53", [])
    usaha_rows = [r for g, rows in groups.items() if g not in ("51", "53", "54") for r in rows]
    revenue_rows = [r for s in pl["revenue_sections"] for r in s.rows]
    hpp = sum((r.amount for r in hpp_rows), ZERO)
    sales_m, _a = _sum_keys(revenue_rows, ("penjualan_anggota",))
    sales_n, _b = _sum_keys(revenue_rows, ("penjualan_non_anggota",))
    bpp = q(hpp * sales_m / (sales_m + sales_n)) if sales_m + sales_n else ZERO
    member_rows = [(r.code, r.name) for r in pl["revenue_sections"][0].rows]
    has_prev = bool(pl["prev_revenue"] or pl["prev_expense_total"])
    return {
        "pendapatan": BookFigure("pendapatan", pl["revenue"], [(r.code, r.name) for r in revenue_rows]),
        "pendapatan_non_anggota": BookFigure(
            "pendapatan_non_anggota",
            pl["revenue_non_anggota"],
            [(r.code, r.name) for r in pl["revenue_sections"][1].rows],
        ),
        "partisipasi_bruto": BookFigure("partisipasi_bruto", pl["revenue_anggota"], member_rows),
        "hpp": BookFigure("hpp", hpp, [(r.code, r.name) for r in hpp_rows]),
        "beban_pokok_partisipasi": BookFigure(
            "beban_pokok_partisipasi",
            bpp,
            [(r.code, r.name) for r in hpp_rows],
            "HPP dibagi menurut porsi penjualan kepada anggota",
        ),
        "beban_usaha": BookFigure(
            "beban_usaha", sum((r.amount for r in usaha_rows), ZERO), [(r.code, r.name) for r in usaha_rows]
        ),
        "beban_perkoperasian": BookFigure(
            "beban_perkoperasian",
            sum((r.amount for r in coop_rows), ZERO),
            [(r.code, r.name) for r in coop_rows],
        ),
        "shu": BookFigure("shu", pl["shu"], [], "laporan perhitungan hasil usaha"),
        "shu_lalu": BookFigure(
            "shu_lalu", pl["prev_shu"] if has_prev else None, [], "" if has_prev else "buku tahun lalu kosong"
        ),
    }


def _loan_figures(cooperative, start, end, piutang) -> dict:
    run = loan_selectors.arrears_summary_at(cooperative, end)
    if run is None or run["date"] < start:
        if not piutang:
            return {
                k: BookFigure(k, ZERO, [], "tidak ada pinjaman beredar") for k in ("rpm", "pinjaman_berisiko")
            }
        why = "belum ada perhitungan tunggakan pada tahun buku ini"
        return {k: BookFigure(k, None, [], why) for k in ("rpm", "pinjaman_berisiko")}
    note = f"perhitungan tunggakan per {run['date']:%d-%m-%Y}"
    risky = sum((run["by_kol"].get(k, ZERO) for k in RISKY), ZERO)
    return {
        "rpm": BookFigure("rpm", run["rpm"], [], note),
        "pinjaman_berisiko": BookFigure("pinjaman_berisiko", risky, [], note),
    }


def _derived_figures(f, bs) -> dict:
    assets, liab = _account_rows(bs["assets"]), _account_rows(bs["liabilities"])
    equity = [r for r in bs["equity"].rows if r.code]
    shu_rows = [r for r in bs["equity"].rows if not r.code]
    prod, prod_acc = _sum_keys(assets, PRODUCTIVE)
    m100, acc100 = _sum_keys(equity, MODAL_100)
    m50, acc50 = _sum_keys(equity, MODAL_50)
    dana, dana_acc = _sum_keys(liab + equity, DANA_DITERIMA)
    net = f["piutang_pinjaman"].value - f["cadangan_risiko"].value
    pb, bpp = f["partisipasi_bruto"].value, f["beban_pokok_partisipasi"].value
    loan_acc = f["piutang_pinjaman"].accounts + f["cadangan_risiko"].accounts
    return {
        "pinjaman_neto": BookFigure(
            "pinjaman_neto", net, loan_acc, "pinjaman beredar dikurangi cadangan risiko"
        ),
        "pinjaman_anggota": BookFigure(
            "pinjaman_anggota",
            f["piutang_pinjaman"].value,
            f["piutang_pinjaman"].accounts,
            "pinjaman Kopdig hanya kepada anggota",
        ),
        "aset_produktif": BookFigure(
            "aset_produktif",
            net + prod,
            loan_acc + prod_acc,
            "pinjaman neto + bank + piutang usaha + persediaan + penyertaan",
        ),
        "modal_tertimbang": BookFigure(
            "modal_tertimbang",
            q(m100 + (m50 + sum((r.amount for r in shu_rows), ZERO)) * Decimal("0.5")),
            acc100 + acc50,
            "100% simpanan pokok, wajib, cadangan, hibah; 50% SHU belum dibagi",
        ),
        "atmr": BookFigure("atmr", None, [], "bobot risiko aset tidak tersedia dari buku: isi dari laporan"),
        "dana_diterima": BookFigure(
            "dana_diterima", dana, dana_acc, "simpanan, utang bank/LPDB, simpanan pokok dan wajib"
        ),
        "partisipasi_neto": BookFigure(
            "partisipasi_neto",
            pb - bpp,
            f["partisipasi_bruto"].accounts,
            "partisipasi bruto − beban pokok partisipasi",
        ),
        "shu_kotor": BookFigure("shu_kotor", f["pendapatan"].value - f["hpp"].value, [], "pendapatan − HPP"),
    }


def figure_values(figs: dict[str, BookFigure]) -> dict:
    return {name: f.value for name, f in figs.items()}


def lends(cooperative, figures: dict) -> bool:
    return bool(
        cooperative.jenis == Cooperative.Jenis.SIMPAN_PINJAM
        or cooperative.has_usp
        or (figures.get("piutang_pinjaman") or ZERO) > 0
    )


def facts_for(cooperative, figures: dict) -> dict:
    return {"lends": lends(cooperative, figures)}


# --------------------------------------------------------------------------- reported figures

REPORTED_MAP = {
    "total_ekuitas": "modal_sendiri",
    "total_kewajiban": "modal_luar",
    "total_aset": "aset",
    "shu": "shu",
}


def reported_figures(cooperative, year: int) -> dict:
    """Figures the Dinas holds as reported (annual data) for the year and the year before:
    {figure: Decimal or None}; the examiner completes the rest from the statements."""
    cur = dinas_selectors.annual_figures(cooperative, year)
    prev = dinas_selectors.annual_figures(cooperative, year - 1)
    out = {name: None for name in scoring.FIGURES}
    for name, src in REPORTED_MAP.items():
        out[name] = cur.value(src)
    out["total_ekuitas_lalu"] = prev.value("modal_sendiri")
    out["shu_lalu"] = prev.value("shu")
    return out


def decode_figures(stored: dict) -> dict:
    return {name: (Decimal(v) if v not in (None, "") else None) for name, v in (stored or {}).items()}


def encode_figures(values: dict) -> dict:
    return {name: (str(v) if v is not None else None) for name, v in values.items()}


# --------------------------------------------------------------------------- rubrics


def rubric_list(active_only: bool = True):
    qs = Rubric.objects.all()
    return qs.filter(active=True) if active_only else qs


def rubric_get(code: str, version: int | None = None) -> Rubric:
    qs = Rubric.objects.filter(code=code)
    rubric = qs.filter(version=version).first() if version else qs.order_by("-version").first()
    if rubric is None:
        raise Http404
    return rubric


def rubric_for(cooperative) -> Rubric:
    """The rubric a cooperative is examined with by default: the newest active KKPKK."""
    return Rubric.objects.filter(code="kkpkk", active=True).order_by("-version").first()


def indicators_by_code(rubric) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(rubric=rubric).prefetch_related("items")}


# --------------------------------------------------------------------------- examinations


def examination_get(cooperative, code: str) -> Examination:
    exam = (
        Examination.objects.select_related("rubric", "examiner", "approved_by", "cooperative")
        .filter(cooperative=cooperative, code=code)
        .first()
    )
    if exam is None:
        raise Http404
    return exam


def examination_for_dinas(kabupaten_ids, slug: str, code: str) -> Examination:
    coop = dinas_selectors.coop_get(kabupaten_ids, slug)
    return examination_get(coop, code)


def answers_of(exam: Examination) -> dict:
    return {
        a.indicator.code: a.as_answer()
        for a in Assessment.objects.filter(cooperative=exam.cooperative_id, examination=exam).select_related(
            "indicator"
        )
    }


def evidence_of(exam: Examination) -> dict[str, list]:
    out: dict[str, list] = {}
    for e in Evidence.objects.filter(cooperative=exam.cooperative_id, examination=exam).select_related(
        "indicator"
    ):
        out.setdefault(e.indicator.code, []).append(e)
    return out


def examination_figures(exam: Examination) -> tuple[dict, dict[str, BookFigure] | None]:
    """(figure values, book figures with accounts or None): frozen figures once submitted; live
    from the books for a draft of a cooperative on Kopdig; the entered ones otherwise."""
    if exam.is_frozen or exam.figures_source == Examination.Source.REPORTED:
        return decode_figures(exam.figures), None
    figs = book_figures(exam.cooperative, exam.year)
    return figure_values(figs), figs


def examination_result(exam: Examination, figures: dict | None = None) -> scoring.Result:
    values = figures if figures is not None else examination_figures(exam)[0]
    facts = exam.facts if exam.is_frozen and exam.facts else facts_for(exam.cooperative, values)
    return scoring.evaluate(exam.rubric.definition, values, facts, answers_of(exam))


def self_assessment(cooperative, year: int, rubric: Rubric, answers: dict | None = None) -> tuple:
    """A dry run of the rubric for a cooperative on Kopdig (nothing stored): (result, figures)."""
    figs = book_figures(cooperative, year)
    values = figure_values(figs)
    return scoring.evaluate(rubric.definition, values, facts_for(cooperative, values), answers or {}), figs


def examinations_of(cooperative, *, published_only: bool = False):
    qs = Examination.objects.filter(cooperative=cooperative).select_related("rubric", "examiner")
    if published_only:
        qs = qs.filter(status=Examination.Status.PUBLISHED)
    return qs.order_by("-year", "-version")


def followups_of(exam: Examination):
    return list(
        FollowUp.objects.filter(cooperative=exam.cooperative_id, examination=exam).order_by("deadline", "id")
    )


def followups_for_coop(cooperative):
    return list(
        FollowUp.objects.filter(cooperative=cooperative, examination__status=Examination.Status.PUBLISHED)
        .select_related("examination")
        .order_by("status", "deadline")
    )


# --------------------------------------------------------------------------- Dinas lists

CURRENT = (Examination.Status.APPROVED, Examination.Status.PUBLISHED)


def latest_results(kabupaten_ids, year: int | None = None):
    """The approved/published examination per cooperative (newest version) of the kabupaten,
    optionally for one book year."""
    qs = Examination.objects.filter(
        cooperative__kabupaten_id__in=kabupaten_ids, status__in=CURRENT
    ).select_related("cooperative", "cooperative__kecamatan", "rubric")
    if year:
        qs = qs.filter(year=year)
    seen, out = set(), []
    for e in qs.order_by("cooperative__name", "cooperative_id", "-year", "-version"):
        if e.cooperative_id not in seen:
            seen.add(e.cooperative_id)
            out.append(e)
    return out


def examination_list(kabupaten_ids, *, year=None, predicate="", status="", search=""):
    qs = (
        Examination.objects.filter(cooperative__kabupaten_id__in=kabupaten_ids)
        .exclude(status=Examination.Status.SUPERSEDED)
        .select_related("cooperative", "cooperative__kecamatan", "rubric", "examiner")
    )
    if year:
        qs = qs.filter(year=year)
    if predicate:
        qs = qs.filter(predicate=predicate)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(cooperative__name__icontains=search)
    return qs.order_by("-year", "cooperative__name")


def never_examined(kabupaten_ids):
    examined = Examination.objects.filter(cooperative__kabupaten_id__in=kabupaten_ids).values(
        "cooperative_id"
    )
    return (
        Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids, status=Cooperative.Status.AKTIF)
        .exclude(pk__in=examined)
        .select_related("kecamatan")
        .order_by("name")
    )


def overdue_followups(kabupaten_ids, today: dt.date | None = None):
    today = today or timezone.localdate()
    return list(
        FollowUp.objects.filter(cooperative__kabupaten_id__in=kabupaten_ids, deadline__lt=today)
        .exclude(status=FollowUp.Status.DONE)
        .exclude(examination__status=Examination.Status.SUPERSEDED)
        .select_related("cooperative", "examination")
        .order_by("deadline")
    )


def trend(cooperative) -> list[Examination]:
    return list(
        Examination.objects.filter(cooperative=cooperative, status__in=CURRENT)
        .select_related("rubric")
        .order_by("year", "-version")
    )


def predicate_matrix(results) -> dict:
    """Counts of results (``latest_results``) by predicate × jenis and predicate × kecamatan."""
    by_jenis: dict = {}
    by_kec: dict = {}
    for e in results:
        c = e.cooperative
        by_jenis.setdefault(c.jenis, {}).setdefault(e.predicate, 0)
        by_jenis[c.jenis][e.predicate] += 1
        kec = c.kecamatan.name if c.kecamatan_id else "—"
        by_kec.setdefault(kec, {}).setdefault(e.predicate, 0)
        by_kec[kec][e.predicate] += 1
    return {"jenis": by_jenis, "kecamatan": by_kec}


def pending_for_kepala(kabupaten_ids):
    return (
        Examination.objects.filter(
            cooperative__kabupaten_id__in=kabupaten_ids, status=Examination.Status.SUBMITTED
        )
        .select_related("cooperative", "examiner")
        .order_by("submitted_at")
    )


def under_supervision(kabupaten_ids, year: int | None = None):
    return [
        e
        for e in latest_results(kabupaten_ids, year)
        if e.predicate in ("dalam_pengawasan", "dalam_pengawasan_khusus")
    ]


def search_coops(kabupaten_ids, text: str):
    return (
        Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
        .filter(Q(name__icontains=text) | Q(slug__icontains=text))
        .order_by("name")[:30]
    )
