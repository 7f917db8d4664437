"""Dinas reads: the registry, annual figures (books or reported), RAT compliance.

Every function takes the kabupaten ids (or the cooperative) explicitly. Figures of cooperatives
that keep their books on Kopdig are computed from their ledger, member register and staff list
(domain §8) in a bounded number of queries; nothing computed is stored, except the Dinas home
page's snapshot (``dashboard_snapshot``), a cache checked against the data on every read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdig.audit.models import AuditLog
from kopdig.ledger.models import AccountMonthBalance, JournalEntry, JournalLine
from kopdig.ledger.statements import CLOSING_SOURCE_TYPES
from kopdig.lib.money import ZERO, q
from kopdig.loans.models import Loan
from kopdig.members.models import Member
from kopdig.tenancy.models import Cooperative, Region

from .models import (
    COUNT_FIGURES,
    FIGURES,
    MONEY_FIGURES,
    AnnualReport,
    CoopStaff,
    DashboardSnapshot,
    DinasSettings,
    RatRecord,
)

BOOKS = "books"
REPORTED = "reported"


# ---------------------------------------------------------------- settings and dates


def dinas_settings(kabupaten_id) -> DinasSettings:
    """The regency's settings (an unsaved default when none were stored)."""
    found = DinasSettings.objects.filter(kabupaten_id=kabupaten_id).first()
    return found or DinasSettings(kabupaten_id=kabupaten_id)


def deadline_months(kabupaten_ids) -> int:
    """The RAT deadline of the officer's regency (the first one when an officer has several)."""
    kab = sorted(kabupaten_ids)[0] if kabupaten_ids else None
    return dinas_settings(kab).rat_deadline_months if kab else 6


def rat_deadline(year: int, months: int) -> dt.date:
    """Last day for the RAT of book ``year``: the end of the ``months``-th month after the year ends."""
    return dt.date(year + 1, months, calendar.monthrange(year + 1, months)[1])


def last_book_year(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


# ---------------------------------------------------------------- registry

REGISTRY_FILTERS = ["q", "kecamatan", "desa", "jenis", "kelompok", "status", "on_kopdig", "rat_year", "rat"]


def coop_get(kabupaten_ids, slug: str) -> Cooperative:
    """A cooperative of the officer's kabupaten, else 404."""
    coop = (
        Cooperative.objects.select_related("kabupaten", "kecamatan", "desa")
        .filter(slug=slug, kabupaten_id__in=kabupaten_ids)
        .first()
    )
    if coop is None:
        raise Http404
    return coop


def coop_list(kabupaten_ids, filters: dict | None = None):
    """The registry of the officer's kabupaten, filtered.

    Filters: q (name, NIK, badan hukum number), kecamatan / desa (region codes), jenis, kelompok,
    status, on_kopdig ("1"/"0"), rat_year + rat ("held"/"missed").
    """
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids).select_related("kecamatan", "desa")
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(
            Q(name__icontains=text) | Q(nik__startswith=text) | Q(badan_hukum_number__icontains=text)
        )
    if f.get("kecamatan"):
        qs = qs.filter(kecamatan__code=f["kecamatan"])
    if f.get("desa"):
        qs = qs.filter(desa__code=f["desa"])
    for name in ("jenis", "kelompok", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("on_kopdig") in ("1", "0", True, False):
        qs = qs.filter(on_kopdig=f["on_kopdig"] in ("1", True))
    if f.get("rat_year") and f.get("rat") in ("held", "missed"):
        qs = _filter_rat(qs, f["rat_year"], f["rat"])
    return qs.order_by("name", "pk")


def _filter_rat(qs, rat_year, rat: str):
    """Cooperatives that held ("held") or missed ("missed", existing at the year's end) the RAT of a year."""
    try:
        year = int(rat_year)
    except (TypeError, ValueError):
        return qs
    if not year:
        return qs
    held = Exists(RatRecord.objects.filter(cooperative=OuterRef("pk"), year=year))
    if rat == "held":
        return qs.filter(held)
    return qs.filter(~held).filter(Q(founded_on__isnull=True) | Q(founded_on__lte=dt.date(year, 12, 31)))


def last_rat_years(coop_ids) -> dict[int, int]:
    """{cooperative_id: latest book year with an RAT record} (one query)."""
    rows = (
        RatRecord.objects.filter(cooperative_id__in=coop_ids).values("cooperative_id").annotate(y=Max("year"))
    )
    return {r["cooperative_id"]: r["y"] for r in rows}


ACTION_LABELS = {
    "cooperative_register": _("Didaftarkan"),
    "cooperative_update": _("Data registri diubah"),
    "cooperative_status_confirm": _("Status ditetapkan"),
    "coop_officer_save": _("Pengurus/pengawas disimpan"),
    "coop_officer_delete": _("Pengurus/pengawas dihapus"),
    "coop_staff_save": _("Karyawan disimpan"),
    "coop_staff_delete": _("Karyawan dihapus"),
    "annual_report_save": _("Data tahunan dilaporkan"),
    "rat_record_save": _("RAT dicatat"),
    "rat_record_delete": _("Catatan RAT dihapus"),
    "pengurus_invite": _("Pengurus diundang"),
    "invitation_accept": _("Undangan dipakai"),
    "role_grant": _("Peran diberikan"),
}


def coop_history(cooperative, limit: int = 100):
    """The cooperative's audit trail (registry changes and everything else done in it), newest first."""
    rows = list(
        AuditLog.objects.filter(cooperative=cooperative)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    for row in rows:
        row.label = ACTION_LABELS.get(row.action, row.action)
    return rows


# ---------------------------------------------------------------- figures from the books

ACCOUNT_TYPES = ("aset", "kewajiban", "ekuitas", "pendapatan", "beban")
DEBIT_NORMAL = ("aset", "beban")


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _lends(coop) -> bool:
    return coop.jenis == Cooperative.Jenis.SIMPAN_PINJAM or coop.has_usp


def _normal(account_type: str, debit: Decimal, credit: Decimal) -> Decimal:
    """A movement on the account type's normal side (debit for aset and beban, credit otherwise)."""
    return debit - credit if account_type in DEBIT_NORMAL else credit - debit


def book_figures_one(cooperative, year: int) -> dict:
    """Figures of one cooperative on Kopdig for one book year: ``book_figures_bulk`` of one."""
    return book_figures_bulk([cooperative], [year])[(cooperative.pk, year)]


def book_figures_bulk(coops, years) -> dict[tuple[int, int], dict]:
    """{(cooperative_id, year): {figure: value or None, "notes": []}} for cooperatives on Kopdig.

    From the ledger's month-balance caches (balances at 31 December; the year's income statement
    without year-end closing entries, as the ledger's ``statement_totals``), the member register
    and the staff list: one query each for ledger, closing entries, members, staff and loans
    disbursed, whatever the number of cooperatives and years.
    """
    coops = list(coops)
    years = sorted(set(years))
    if not coops or not years:
        return {}
    sources = _book_sources(coops, years)
    out = {}
    for coop in coops:
        out.update(_coop_book_figures(coop, years, sources))
    return out


@dataclass
class _BookSources:
    """The aggregated rows ``book_figures_bulk`` computes every cooperative's figures from."""

    ledger: dict  # (coop, type, year) -> (debit, credit) of the year's month balances
    closing: dict  # (coop, type, year) -> (debit, credit) of year-end closing lines
    members: dict  # (coop, year, gender) -> members at the year's end
    staff: dict  # (coop, year, position) -> staff at the year's end
    loans: dict  # (coop, year) -> principal disbursed in the year
    first_ledger_year: dict = field(default_factory=dict)  # coop -> first year with balances
    first_member_year: dict = field(default_factory=dict)  # coop -> first year a member joined


def _book_sources(coops, years) -> _BookSources:
    ids = [c.pk for c in coops]
    ledger = _ledger_by_year(ids, years[-1])
    members, first_member_year = _members_by_year(ids, years)
    lenders = [c for c in coops if _lends(c)]
    first_ledger_year = {}
    for cid, _type, y in ledger:
        first_ledger_year[cid] = min(y, first_ledger_year.get(cid, y))
    return _BookSources(
        ledger=ledger,
        closing=_closing_by_year(ids, years),
        members=members,
        staff=_staff_by_year(ids, years),
        loans=_loans_disbursed_bulk(lenders, years) if lenders else {},
        first_ledger_year=first_ledger_year,
        first_member_year=first_member_year,
    )


def _ledger_by_year(ids, last: int) -> dict:
    rows = (
        AccountMonthBalance.objects.filter(cooperative_id__in=ids, year__lte=last)
        .values("cooperative_id", "account__type", "year")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    return {(r["cooperative_id"], r["account__type"], r["year"]): (_sum(r["d"]), _sum(r["c"])) for r in rows}


def _closing_by_year(ids, years) -> dict:
    """Year-end closing lines on revenue and expense: left out of the year's result (as the ledger's statements)."""
    entries = JournalEntry.objects.filter(
        cooperative_id__in=ids,
        source_type__in=CLOSING_SOURCE_TYPES,
        date__gte=dt.date(years[0], 1, 1),
        date__lte=_year_end(years[-1]),
    ).values("id")
    rows = (
        JournalLine.objects.filter(entry_id__in=entries, account__type__in=["pendapatan", "beban"])
        .annotate(y=ExtractYear("date"))
        .values("cooperative_id", "account__type", "y")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    return {(r["cooperative_id"], r["account__type"], r["y"]): (_sum(r["d"]), _sum(r["c"])) for r in rows}


def _member_counts_in(row, year: int) -> bool:
    """A (joining year, leaving year, status) group of members is active at the end of ``year``."""
    if row["jy"] > year:
        return False
    if row["ly"] is None:
        return row["status"] == "aktif"
    return row["ly"] > year


def _members_by_year(ids, years) -> tuple[dict, dict]:
    """Members active at each year's end by gender (grouped by joining and leaving year), and each
    cooperative's first joining year."""
    rows = list(
        Member.objects.filter(cooperative_id__in=ids)
        .exclude(status="calon")
        .values("cooperative_id", "gender", "status")
        .annotate(jy=ExtractYear("joined_on"), ly=ExtractYear("left_on"))
        .values("cooperative_id", "gender", "status", "jy", "ly")
        .annotate(n=Count("id"))
    )
    first = {}
    members = defaultdict(int)
    for r in rows:
        cid = r["cooperative_id"]
        first[cid] = min(r["jy"], first.get(cid, r["jy"]))
        for y in years:
            if _member_counts_in(r, y):
                members[(cid, y, r["gender"])] += r["n"]
    return members, first


def _staff_by_year(ids, years) -> dict:
    staff = defaultdict(int)
    rows = (
        CoopStaff.objects.filter(cooperative_id__in=ids)
        .annotate(sy=ExtractYear("since"), uy=ExtractYear("until"))
        .values("cooperative_id", "position", "sy", "uy")
        .annotate(n=Count("id"))
    )
    for r in rows:
        for y in years:
            if (r["sy"] is None or r["sy"] <= y) and (r["uy"] is None or r["uy"] > y):
                staff[(r["cooperative_id"], y, r["position"])] += r["n"]
    return staff


def _loans_disbursed_bulk(coops, years) -> dict:
    """{(cooperative_id, year): principal disbursed} in ONE query: Σ principal of the loans
    disbursed in the year (the loans app's ``disbursed_total``)."""
    rows = (
        Loan.objects.filter(
            cooperative_id__in=[c.pk for c in coops],
            disbursed_on__gte=dt.date(min(years), 1, 1),
            disbursed_on__lte=_year_end(max(years)),
        )
        .annotate(y=ExtractYear("disbursed_on"))
        .values("cooperative_id", "y")
        .annotate(s=Sum("principal"))
    )
    return {(r["cooperative_id"], r["y"]): _sum(r["s"]) for r in rows}


def _coop_book_figures(coop, years, src: _BookSources) -> dict:
    """One cooperative's figures for each of ``years`` (ascending), balances carried year to year."""
    cid = coop.pk
    first = src.first_ledger_year.get(cid)
    cum = defaultdict(lambda: ZERO)  # account type -> balance on its normal side up to the year
    for y in range(first, years[0]) if first is not None else ():
        _carry(cum, src.ledger, cid, y)
    out = {}
    for y in years:
        _carry(cum, src.ledger, cid, y)
        fig: dict = {f: None for f in FIGURES}
        fig["notes"] = []
        if first is not None and first <= y:
            fig.update(_ledger_figures(coop, y, cum, src))
        if src.first_member_year.get(cid, y + 1) <= y:
            fig["anggota_l"] = src.members.get((cid, y, "L"), 0)
            fig["anggota_p"] = src.members.get((cid, y, "P"), 0)
        fig["manajer"] = src.staff.get((cid, y, "manajer"), 0)
        fig["karyawan"] = src.staff.get((cid, y, "karyawan"), 0)
        out[(cid, y)] = fig
    return out


def _carry(cum, ledger, cid, year):
    for t in ACCOUNT_TYPES:
        cum[t] += _normal(t, *ledger.get((cid, t, year), (ZERO, ZERO)))


def _year_result(src: _BookSources, cid, year) -> tuple[Decimal, Decimal]:
    """(revenue, SHU) of the year without its closing entries."""

    def net(t):
        d, c = src.ledger.get((cid, t, year), (ZERO, ZERO))
        cd, cc = src.closing.get((cid, t, year), (ZERO, ZERO))
        return _normal(t, d - cd, c - cc)

    revenue = net("pendapatan")
    return revenue, revenue - net("beban")


def _ledger_figures(coop, year, cum, src: _BookSources) -> dict:
    revenue, shu = _year_result(src, coop.pk, year)
    volume = revenue + (src.loans.get((coop.pk, year), ZERO) if _lends(coop) else ZERO)
    return {
        "aset": cum["aset"],
        "modal_luar": cum["kewajiban"],
        "modal_sendiri": cum["ekuitas"]
        + cum["pendapatan"]
        - cum["beban"],  # includes the year's result not yet closed
        "shu": shu,
        "volume_usaha": volume,
    }


# ---------------------------------------------------------------- annual figures (books or reported)


@dataclass
class Figure:
    value: object
    source: str | None  # "books", "reported" or None (no data)
    reported_by: str = ""  # dinas / pengurus / import, for reported figures


@dataclass
class AnnualFigures:
    cooperative: Cooperative
    year: int
    figures: dict = field(default_factory=dict)  # name -> Figure
    rat_date: dt.date | None = None
    rat_held: bool = False
    notes: list = field(default_factory=list)

    def value(self, name):
        return self.figures[name].value

    @property
    def cells(self) -> list[tuple[str, Figure]]:
        """(name, Figure) in the ODS column order, for templates."""
        return [(name, self.figures[name]) for name in FIGURES]

    @property
    def sources(self) -> set:
        return {f.source for f in self.figures.values() if f.source}

    @property
    def anggota(self):
        lv, pv = self.figures["anggota_l"].value, self.figures["anggota_p"].value
        return None if lv is None and pv is None else (lv or 0) + (pv or 0)


def _from_reported(report: AnnualReport | None) -> dict:
    out = {}
    for name in FIGURES:
        value = getattr(report, name) if report else None
        by = (report.sources or {}).get(name, "") if report else ""
        out[name] = Figure(value, REPORTED if value is not None else None, by)
    return out


def _from_books(fig: dict) -> dict:
    return {name: Figure(fig.get(name), BOOKS if fig.get(name) is not None else None) for name in FIGURES}


def annual_figures(cooperative, year: int) -> AnnualFigures:
    """One cooperative's figures for a book year, each with its source."""
    rat = RatRecord.objects.filter(cooperative=cooperative, year=year).first()
    if cooperative.on_kopdig:
        fig = book_figures_one(cooperative, year)
        result = AnnualFigures(cooperative, year, _from_books(fig), notes=fig["notes"])
    else:
        report = AnnualReport.objects.filter(cooperative=cooperative, year=year).first()
        result = AnnualFigures(cooperative, year, _from_reported(report))
    result.rat_held = rat is not None
    result.rat_date = rat.held_on if rat else None
    return result


def annual_table(kabupaten_ids, year: int, coops=None) -> list[AnnualFigures]:
    """Every cooperative's figures for one book year (the ODS sheet): bounded queries."""
    if coops is None:
        coops = list(
            Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
            .select_related("kecamatan", "desa")
            .order_by("name", "pk")
        )
    ids = [c.pk for c in coops]
    reports = {r.cooperative_id: r for r in AnnualReport.objects.filter(cooperative_id__in=ids, year=year)}
    rats = dict(
        RatRecord.objects.filter(cooperative_id__in=ids, year=year).values_list("cooperative_id", "held_on")
    )
    on_books = [c for c in coops if c.on_kopdig]
    books = book_figures_bulk(on_books, [year])
    out = []
    for c in coops:
        if c.on_kopdig:
            fig = books.get((c.pk, year), {})
            row = AnnualFigures(c, year, _from_books(fig), notes=fig.get("notes", []))
        else:
            row = AnnualFigures(c, year, _from_reported(reports.get(c.pk)))
        row.rat_held = c.pk in rats
        row.rat_date = rats.get(c.pk)
        out.append(row)
    return out


def annual_history(cooperative, years) -> list[AnnualFigures]:
    """One cooperative's figures over several years (detail page): bounded queries."""
    years = sorted(years)
    rats = dict(
        RatRecord.objects.filter(cooperative=cooperative, year__in=years).values_list("year", "held_on")
    )
    if cooperative.on_kopdig:
        books = book_figures_bulk([cooperative], years)
        rows = [
            AnnualFigures(
                cooperative,
                y,
                _from_books(books[(cooperative.pk, y)]),
                notes=books[(cooperative.pk, y)]["notes"],
            )
            for y in years
        ]
    else:
        reports = {r.year: r for r in AnnualReport.objects.filter(cooperative=cooperative, year__in=years)}
        rows = [AnnualFigures(cooperative, y, _from_reported(reports.get(y))) for y in years]
    for row in rows:
        row.rat_held = row.year in rats
        row.rat_date = rats.get(row.year)
    return rows


# ---------------------------------------------------------------- RAT compliance


@dataclass
class RatStatus:
    cooperative: Cooperative
    year: int
    deadline: dt.date
    held: bool
    held_on: dt.date | None
    on_time: bool | None  # None: held, date unknown
    due: bool  # the deadline has passed
    missed_years: int  # consecutive book years missed, ending with ``year``
    suggested_status: str | None

    @property
    def missed(self) -> bool:
        return not self.held and self.due

    @property
    def tidak_aktif_candidate(self) -> bool:
        return self.missed_years >= 3


def _existed(coop, year: int) -> bool:
    return coop.founded_on is None or coop.founded_on <= dt.date(year, 12, 31)


RAT_COOP_FIELDS = ("pk", "name", "slug", "status", "founded_on", "kabupaten_id", "kecamatan__name")


def rat_compliance(
    kabupaten_ids, year: int, *, months: int | None = None, today: dt.date | None = None, coops=None
) -> list[RatStatus]:
    """For book ``year``: who held the RAT, when, by the deadline; who missed; who missed three
    years in a row (tidak aktif candidates). Cooperatives founded after the year are left out."""
    today = today or timezone.localdate()
    months = months or deadline_months(kabupaten_ids)
    if coops is None:
        # Only what the compliance rows show (the page and the API list every cooperative of the
        # regency: a thousand full rows cost more than the rest of the page).
        coops = (
            Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
            .select_related("kecamatan")
            .only(*RAT_COOP_FIELDS)
        )
    coops = [c for c in coops if _existed(c, year) and c.status != Cooperative.Status.DIBUBARKAN]
    records = defaultdict(dict)
    for cid, y, held_on in RatRecord.objects.filter(
        cooperative_id__in=[c.pk for c in coops], year__in=[year - 2, year - 1, year]
    ).values_list("cooperative_id", "year", "held_on"):
        records[cid][y] = held_on
    return [
        _rat_status(c, year, records[c.pk], months, today)
        for c in sorted(coops, key=lambda c: (c.name, c.pk))
    ]


def _rat_status(coop, year, recs: dict, months: int, today) -> RatStatus:
    deadline = rat_deadline(year, months)
    held = year in recs
    held_on = recs.get(year)
    missed_years = 0
    for y in (year, year - 1, year - 2):
        if y in recs or not _existed(coop, y) or today <= rat_deadline(y, months):
            break
        missed_years += 1
    suggestion = None
    if coop.status != Cooperative.Status.DIBUBARKAN:
        suggestion = Cooperative.Status.TIDAK_AKTIF if missed_years >= 3 else Cooperative.Status.AKTIF
    return RatStatus(
        cooperative=coop,
        year=year,
        deadline=deadline,
        held=held,
        held_on=held_on,
        on_time=(held_on <= deadline) if held_on else None,
        due=today > deadline,
        missed_years=missed_years,
        suggested_status=suggestion,
    )


def suggested_status(cooperative, *, today: dt.date | None = None) -> RatStatus:
    """The status the RAT record suggests, for the last book year whose deadline has passed."""
    today = today or timezone.localdate()
    months = dinas_settings(cooperative.kabupaten_id).rat_deadline_months
    year = last_book_year(today)
    if today <= rat_deadline(year, months):
        year -= 1
    recs = dict(
        RatRecord.objects.filter(cooperative=cooperative, year__in=[year - 2, year - 1, year]).values_list(
            "year", "held_on"
        )
    )
    return _rat_status(cooperative, year, recs, months, today)


# ---------------------------------------------------------------- dashboard


def dashboard(kabupaten_ids, *, today: dt.date | None = None, n_years: int = 10) -> dict:
    """All numbers of the Dinas home page, aggregated in SQL (a bounded number of queries)."""
    today = today or timezone.localdate()
    last = last_book_year(today)
    years = list(range(last - n_years + 1, last + 1))
    months = deadline_months(kabupaten_ids)
    base = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
    rat_trend = _rat_trend(base, kabupaten_ids, years, months, today)
    return {
        "today": today,
        "book_year": last,
        "years": years,
        "deadline_months": months,
        **_registry_counts(base),
        "rat_trend": rat_trend,
        "rat_this_year": rat_trend[-1] if rat_trend else None,
        "totals": _totals_by_year(base, kabupaten_ids, years),
    }


# The tables the dashboard reads, each fingerprinted by its newest row: an action's write shows as
# a new audit row; a write that bypasses the actions (bulk loads, imports of the demo, tests)
# adds rows to one of these. The registry is fingerprinted by count and newest row per kabupaten.
_FINGERPRINT_TABLES = (
    AuditLog,
    AnnualReport,
    RatRecord,
    CoopStaff,
    JournalEntry,
    Member,
    Loan,
    DinasSettings,
)


def _fingerprint(kabupaten_ids) -> str:
    """One query: what the dashboard's numbers depend on, as a string that changes with any write."""
    ids = sorted(int(k) for k in kabupaten_ids)
    marks = ", ".join(f"(SELECT MAX(id) FROM {m._meta.db_table})" for m in _FINGERPRINT_TABLES)
    coop = Cooperative._meta.db_table
    in_ids = ", ".join(["%s"] * len(ids)) or "NULL"
    sql = f"SELECT COUNT(*), MAX(id), {marks} FROM {coop} WHERE kabupaten_id IN ({in_ids})"
    with connection.cursor() as cur:
        cur.execute(sql, ids)
        return ":".join(str(v) for v in cur.fetchone())


def dashboard_snapshot(kabupaten_ids, *, today: dt.date | None = None, n_years: int = 10) -> dict:
    """``dashboard`` served from its snapshot while nothing it reads has changed since (and on the
    same day: deadlines pass with the date); rebuilt and stored otherwise. Every write the
    dashboard depends on moves the fingerprint (see ``_FINGERPRINT_TABLES``), so a snapshot is
    never served stale; a change that neither adds a row nor goes through an audited action (an
    UPDATE from the shell) waits for the next write or the next day."""
    today = today or timezone.localdate()
    key = f"{','.join(str(k) for k in sorted(kabupaten_ids))}|{n_years}"
    fingerprint = _fingerprint(kabupaten_ids)
    snap = DashboardSnapshot.objects.filter(key=key).only("day", "fingerprint", "data").first()
    if snap is not None and snap.day == today and snap.fingerprint == fingerprint:
        return pickle.loads(bytes(snap.data))  # written by the branch below, never by a user
    d = dashboard(kabupaten_ids, today=today, n_years=n_years)
    values = {"day": today, "fingerprint": fingerprint, "data": pickle.dumps(d)}
    try:  # one statement either way: a rebuild costs the same number of queries as the first build
        with transaction.atomic():
            if snap is not None:
                DashboardSnapshot.objects.filter(pk=snap.pk).update(**values, built_at=timezone.now())
            else:
                DashboardSnapshot.objects.create(key=key, **values)
    except IntegrityError:  # another request stored the same snapshot first
        pass
    return d


REGISTRY_GROUPS = ("status", "jenis", "kelompok", "kecamatan_id", "on_kopdig")


def _registry_counts(base) -> dict:
    """Counts of the registry by status, jenis, kelompok, kecamatan and Kopdig use: one GROUP BY."""
    groups = list(base.values(*REGISTRY_GROUPS).annotate(n=Count("id")))
    by = {k: defaultdict(int) for k in REGISTRY_GROUPS}
    for g in groups:
        for k in by:
            by[k][g[k]] += g["n"]
    return {
        "total": sum(g["n"] for g in groups),
        "by_status": [
            {"key": k, "label": label, "n": by["status"].get(k, 0)} for k, label in Cooperative.Status.choices
        ],
        "by_jenis": _by_count(by["jenis"], dict(Cooperative.Jenis.choices)),
        "by_kelompok": _by_count(by["kelompok"], dict(Cooperative.Kelompok.choices)),
        "by_kecamatan": _by_kecamatan(by["kecamatan_id"]),
        "on_kopdig": by["on_kopdig"].get(True, 0),
        "not_on_kopdig": by["on_kopdig"].get(False, 0),
    }


def _by_count(counts: dict, labels: dict) -> list[dict]:
    """[{key, label, n}] most frequent first."""
    rows = ({"key": k, "label": labels.get(k, k), "n": n} for k, n in counts.items())
    return sorted(rows, key=lambda r: -r["n"])


def _by_kecamatan(counts: dict) -> list[dict]:
    """[{key: region code, label: name, n}] by kecamatan name; "—" for cooperatives without one."""
    regions = {
        pk: (code, name)
        for pk, code, name in Region.objects.filter(pk__in=[k for k in counts if k]).values_list(
            "pk", "code", "name"
        )
    }
    rows = (
        {"key": regions.get(k, ("", ""))[0], "label": regions[k][1] if k in regions else "—", "n": n}
        for k, n in counts.items()
    )
    return sorted(rows, key=lambda r: str(r["label"]))


def _rat_trend(base, kabupaten_ids, years, months: int, today) -> list[dict]:
    """Per book year: RATs expected (cooperatives existing at the year's end, not dissolved), held,
    held late (after the year's deadline), missed once the deadline passed."""
    founded = dict(
        base.exclude(status=Cooperative.Status.DIBUBARKAN)
        .annotate(fy=ExtractYear("founded_on"))
        .values_list("fy")
        .annotate(n=Count("id"))
    )
    late_q = Q()
    for y in years:
        late_q |= Q(year=y, held_on__gt=rat_deadline(y, months))
    rat_rows = {
        r["year"]: r
        for r in RatRecord.objects.filter(cooperative__kabupaten_id__in=kabupaten_ids, year__in=years)
        .exclude(cooperative__status=Cooperative.Status.DIBUBARKAN)
        .values("year")
        .annotate(held=Count("id"), late=Count("id", filter=late_q))
    }
    trend = []
    for y in years:
        expected = sum(n for fy, n in founded.items() if fy is None or fy <= y)
        r = rat_rows.get(y, {"held": 0, "late": 0})
        due = today > rat_deadline(y, months)
        trend.append(
            {
                "year": y,
                "expected": expected,
                "held": r["held"],
                "late": r["late"],
                "on_time": r["held"] - r["late"],
                "missed": (expected - r["held"]) if due else None,
                "due": due,
                "rate": _pct(r["held"], expected),
            }
        )
    return trend


TOTAL_MONEY = ("aset", "volume_usaha", "shu", "modal_sendiri", "modal_luar")


def _totals_by_year(base, kabupaten_ids, years) -> list[dict]:
    """Per year: members, money totals and how many cooperatives report, reported figures of
    cooperatives not on Kopdig (one GROUP BY) plus the books of those on Kopdig."""
    totals = {y: {"anggota": 0, **{k: ZERO for k in TOTAL_MONEY}, "reporting": 0} for y in years}
    _add_reported_totals(totals, kabupaten_ids, years)
    on_books = list(base.filter(on_kopdig=True).only("pk", "jenis", "has_usp", "founded_on"))
    for (_cid, y), fig in book_figures_bulk(on_books, years).items():
        if fig["aset"] is None and fig["anggota_l"] is None:
            continue
        t = totals[y]
        t["reporting"] += 1
        t["anggota"] += (fig["anggota_l"] or 0) + (fig["anggota_p"] or 0)
        for k in TOTAL_MONEY:
            t[k] += fig[k] or ZERO
    return [{"year": y, **totals[y]} for y in years]


def _add_reported_totals(totals, kabupaten_ids, years):
    rows = (
        AnnualReport.objects.filter(
            cooperative__kabupaten_id__in=kabupaten_ids, cooperative__on_kopdig=False, year__in=years
        )
        .values("year")
        .annotate(l=Sum("anggota_l"), p=Sum("anggota_p"), n=Count("id"), **{k: Sum(k) for k in TOTAL_MONEY})
    )
    for r in rows:
        t = totals[r["year"]]
        t["anggota"] += (r["l"] or 0) + (r["p"] or 0)
        t["reporting"] += r["n"]
        for k in TOTAL_MONEY:
            t[k] += _sum(r[k])


def _sum(value) -> Decimal:
    """An SQL SUM of money back to the sen (SQLite sums decimals as floating point)."""
    return q(value) if value is not None else ZERO


def _pct(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


__all__ = [
    "BOOKS",
    "REPORTED",
    "FIGURES",
    "COUNT_FIGURES",
    "MONEY_FIGURES",
    "annual_figures",
    "annual_table",
    "book_figures_bulk",
    "book_figures_one",
    "coop_get",
    "coop_list",
    "dashboard",
    "dashboard_snapshot",
    "rat_compliance",
    "rat_deadline",
    "suggested_status",
]
