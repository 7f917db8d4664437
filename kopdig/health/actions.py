"""Health writes. Every action is ``<entity>_<verb>``, keyword-only, in ``action_atomic()``, checks
access first (Dinas roles of the cooperative's kabupaten through ``require_dinas``, the
cooperative's pengurus through ``require_role``), writes one audit row, and refuses with an
Indonesian message before writing anything. The Dinas side writes only examination data,
never a cooperative's books."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.utils import timezone

from kopdig import audit
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import BOARD, is_system, require_dinas, require_role
from kopdig.tenancy.models import DinasRole

from . import scoring, selectors
from .models import Aspect, Assessment, ChecklistItem, Evidence, Examination, FollowUp, Indicator, Rubric
from .rubrics import write_rubric

S = Examination.Status
EXAMINERS = [DinasRole.Kind.PENGAWAS_KOPERASI]
HEADS = [DinasRole.Kind.KEPALA]
DINAS_ANY = [DinasRole.Kind.PENGAWAS_KOPERASI, DinasRole.Kind.KEPALA]
EVIDENCE_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
MAGIC = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
    "image/webp": b"RIFF",
}


class RubricInvalid(DomainError):
    """A rubric import with problems; ``problems`` lists each row and reason."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            "Rubrik ditolak: "
            + "; ".join(str(p) for p in problems[:10])
            + (f" (dan {len(problems) - 10} lainnya)" if len(problems) > 10 else "")
        )


# --------------------------------------------------------------------------- rubrics


def rubric_import(*, actor, data: dict) -> Rubric:
    """Load a new rubric version (JSON or a spreadsheet read by ``rubrics.rubric_from_workbook``):
    validated first, then written whole, or nothing."""
    if not (is_system(actor) or (actor is not None and actor.is_superuser)):
        raise NotAllowed("Hanya administrator yang dapat memuat rubrik.")
    problems = scoring.validate_rubric(data)
    if problems:
        raise RubricInvalid(problems)
    with action_atomic():
        if Rubric.objects.filter(code=data["code"], version=data["version"]).exists():
            raise DomainError(
                f"Rubrik {data['code']} versi {data['version']} sudah ada: muat sebagai versi baru."
            )
        clean = _strip_rows(data)
        rubric = write_rubric(
            SimpleNamespace(Rubric=Rubric, Aspect=Aspect, Indicator=Indicator, ChecklistItem=ChecklistItem),
            clean,
        )
        audit.record(
            actor,
            "rubric_import",
            obj=rubric,
            ref=f"{rubric.code} v{rubric.version}",
            summary=f"Rubrik {rubric.name} v{rubric.version} dimuat",
        )
    return rubric


def _strip_rows(data):
    """The rubric without the spreadsheet row labels (kept only for error messages)."""
    if isinstance(data, dict):
        return {k: _strip_rows(v) for k, v in data.items() if k != "row"}
    if isinstance(data, list):
        return [_strip_rows(v) for v in data]
    return data


# --------------------------------------------------------------------------- examination


def _require_examiner(actor, exam: Examination):
    require_dinas(actor, exam.cooperative.kabupaten_id, "pemeriksaan kesehatan", kinds=EXAMINERS)
    if not is_system(actor) and not actor.is_superuser and actor.pk != exam.examiner_id:
        raise NotAllowed("Hanya pemeriksa yang membuka pemeriksaan ini yang dapat mengubahnya.")


def _require_draft(exam: Examination):
    if exam.status != S.DRAFT:
        raise DomainError(
            f"Pemeriksaan berstatus «{exam.get_status_display()}» tidak dapat diubah; "
            "buat versi baru bila perlu koreksi."
        )


def _lock(exam: Examination) -> Examination:
    return Examination.objects.select_for_update().select_related("cooperative", "rubric").get(pk=exam.pk)


def _check_year(year: int, today=None):
    today = today or timezone.localdate()
    if not 1990 <= year <= today.year:
        raise DomainError(f"Tahun buku {year} tidak valid.")


def examination_open(
    *, actor, cooperative, year: int, rubric: Rubric, figures: dict | None = None
) -> Examination:
    """Open a draft examination. On Kopdig the figures come from the books (live until submitted);
    otherwise from the reported statements (``figures``, or the Dinas's reported annual data)."""
    require_dinas(actor, cooperative.kabupaten_id, "pemeriksaan kesehatan", kinds=EXAMINERS)
    _check_year(year)
    if not rubric.active:
        raise DomainError("Rubrik ini tidak aktif.")
    source = Examination.Source.BOOKS if cooperative.on_kopdig else Examination.Source.REPORTED
    values = {}
    if source == Examination.Source.REPORTED:
        values = selectors.reported_figures(cooperative, year)
        values.update(_clean_figures(figures or {}))
    with action_atomic():
        if Examination.objects.filter(
            cooperative=cooperative, year=year, rubric__code=rubric.code, status__in=[S.DRAFT, S.SUBMITTED]
        ).exists():
            raise DomainError(f"Sudah ada pemeriksaan {year} yang belum selesai untuk koperasi ini.")
        version = 1 + Examination.objects.filter(cooperative=cooperative, year=year, rubric=rubric).count()
        try:
            with transaction.atomic():  # a concurrent open took this version: one wins, the other is told
                exam = Examination.objects.create(
                    cooperative=cooperative,
                    year=year,
                    rubric=rubric,
                    version=version,
                    figures_source=source,
                    figures=selectors.encode_figures(values),
                    examiner=actor if not is_system(actor) else _system_examiner(cooperative),
                )
        except IntegrityError:
            raise DomainError(
                "Pemeriksaan ini baru saja dibuka oleh petugas lain; muat ulang halaman."
            ) from None
        audit.record(
            actor,
            "examination_open",
            cooperative=cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"Pemeriksaan kesehatan {year} dibuka ({rubric.name})",
        )
    return exam


def _system_examiner(cooperative):
    role = (
        DinasRole.objects.filter(kabupaten_id=cooperative.kabupaten_id, kind=DinasRole.Kind.PENGAWAS_KOPERASI)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None:
        raise DomainError("Kabupaten ini belum memiliki pengawas koperasi.")
    return role.user


def _clean_figures(figures: dict) -> dict:
    out = {}
    for name, raw in figures.items():
        if name not in scoring.FIGURES:
            raise DomainError(f"Angka «{name}» tidak dikenal.")
        try:
            out[name] = Decimal(str(raw)).quantize(Decimal("0.01")) if raw not in (None, "") else None
        except InvalidOperation:
            raise DomainError(f"Angka «{scoring.FIGURES[name]}» bukan angka: {raw!r}.") from None
    return out


def examination_figures_set(*, actor, examination: Examination, figures: dict) -> Examination:
    """Enter figures from the reported statements (a cooperative not on Kopdig)."""
    _require_examiner(actor, examination)
    values = _clean_figures(figures)
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        if exam.figures_source != Examination.Source.REPORTED:
            raise DomainError("Angka koperasi ini dihitung dari pembukuannya di Kopdig, tidak diisi manual.")
        before = dict(exam.figures)
        exam.figures = {**exam.figures, **selectors.encode_figures(values)}
        exam.save(update_fields=["figures"])
        audit.record(
            actor,
            "examination_figures_set",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary="Angka laporan keuangan diisi",
            before=before,
            after=exam.figures,
        )
    return exam


def examination_update(
    *, actor, examination: Examination, kuk_class: int | None = None, summary: str | None = None
):
    """The examiner's KUK class (1–4) and conclusion."""
    _require_examiner(actor, examination)
    if kuk_class is not None and kuk_class not in (1, 2, 3, 4):
        raise DomainError("Klasifikasi usaha koperasi (KUK) harus 1, 2, 3 atau 4.")
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        exam.kuk_class = kuk_class if kuk_class is not None else exam.kuk_class
        exam.summary = summary if summary is not None else exam.summary
        exam.save(update_fields=["kuk_class", "summary"])
        audit.record(
            actor,
            "examination_update",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"KUK {exam.kuk_class or '-'}",
            after={"kuk_class": exam.kuk_class},
        )
    return exam


def assessment_save(
    *,
    actor,
    examination: Examination,
    indicator_code: str,
    items: dict | None = None,
    manual_score=None,
    not_applicable: str = "",
    note: str = "",
) -> Assessment:
    """The examiner's answer for one indicator: checklist marks {item: bool}, a manual score (for
    an indicator whose ladder the rubric does not confirm), or not applicable with a reason."""
    _require_examiner(actor, examination)
    indicator = _indicator(examination, indicator_code)
    marks = _clean_items(indicator, items or {})
    score = _clean_manual(examination, indicator, manual_score, note)
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        row, _created = Assessment.objects.update_or_create(
            cooperative=exam.cooperative,
            examination=exam,
            indicator=indicator,
            defaults={
                "items": marks,
                "manual_score": score,
                "not_applicable": not_applicable.strip()[:255],
                "note": note.strip(),
                "updated_by": None if is_system(actor) else actor,
            },
        )
        audit.record(
            actor,
            "assessment_save",
            cooperative=exam.cooperative,
            obj=row,
            ref=f"{exam.code}/{indicator.code}",
            summary=f"Jawaban {indicator.name}",
            after={
                "items": marks,
                "manual_score": str(score) if score is not None else None,
                "not_applicable": row.not_applicable,
            },
        )
    return row


def examination_answers_save(*, actor, examination: Examination, answers: dict) -> int:
    """Save the answers of several indicators at once ({code: {"items", "manual_score",
    "not_applicable", "note"}}): every answer checked first, then one write and one audit row."""
    _require_examiner(actor, examination)
    indicators = selectors.indicators_by_code(examination.rubric)
    clean = {}
    for code, a in answers.items():
        if code not in indicators:
            raise DomainError(f"Indikator «{code}» tidak ada dalam rubrik pemeriksaan ini.")
        ind, note = indicators[code], str(a.get("note") or "").strip()
        clean[ind.pk] = {
            "items": _clean_items(ind, a.get("items") or {}),
            "note": note,
            "manual_score": _clean_manual(examination, ind, a.get("manual_score"), note),
            "not_applicable": str(a.get("not_applicable") or "").strip()[:255],
        }
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        _write_answers(actor, exam, clean)
        audit.record(
            actor,
            "examination_answers_save",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"{len(clean)} jawaban indikator disimpan",
        )
    return len(clean)


def _write_answers(actor, exam, clean: dict) -> None:
    existing = {
        a.indicator_id: a for a in Assessment.objects.filter(cooperative=exam.cooperative, examination=exam)
    }
    by = None if is_system(actor) else actor
    fields = ["items", "manual_score", "not_applicable", "note"]
    changed = []
    for ind_id, values in clean.items():
        row = existing.get(ind_id)
        if row is None:
            existing[ind_id] = Assessment(
                cooperative=exam.cooperative, examination=exam, indicator_id=ind_id, updated_by=by, **values
            )
            continue
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_by = by
        changed.append(row)
    Assessment.objects.bulk_create([a for a in existing.values() if a.pk is None])
    if changed:
        Assessment.objects.bulk_update(changed, [*fields, "updated_by"])


def _indicator(exam, code) -> Indicator:
    ind = Indicator.objects.filter(rubric_id=exam.rubric_id, code=code).prefetch_related("items").first()
    if ind is None:
        raise DomainError(f"Indikator «{code}» tidak ada dalam rubrik pemeriksaan ini.")
    return ind


def _clean_items(indicator, items) -> dict:
    known = {i.code for i in indicator.items.all()}
    unknown = set(items) - known
    if unknown:
        raise DomainError(f"Butir {', '.join(sorted(unknown))} tidak ada pada indikator {indicator.name}.")
    return {k: bool(v) for k, v in items.items() if v is not None}


def _clean_manual(exam, indicator, value, note):
    if value in (None, ""):
        return None
    lo, hi = scoring.SCHEMES[exam.rubric.scheme]
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise DomainError("Skor manual bukan angka.") from None
    if not lo <= score <= hi:
        raise DomainError(f"Skor manual harus antara {lo} dan {hi}.")
    if indicator.ladder is not None and indicator.kind != "manual" and not note.strip():
        raise DomainError("Skor manual untuk indikator yang memiliki tangga skor memerlukan catatan alasan.")
    return score


def evidence_add(
    *, actor, examination: Examination, indicator_code: str, upload, item_code: str = ""
) -> Evidence:
    """Attach an evidence file (PDF or photo, at most 5 MB; the content is checked, not only the name)."""
    _require_examiner(actor, examination)
    indicator = _indicator(examination, indicator_code)
    _check_upload(upload)
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        ev = Evidence(
            cooperative=exam.cooperative,
            examination=exam,
            indicator=indicator,
            item_code=item_code[:30],
            name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        ev.file.save(f"{ev.code}{EVIDENCE_TYPES[upload.content_type]}", upload, save=False)
        ev.save()
        audit.record(
            actor,
            "evidence_add",
            cooperative=exam.cooperative,
            obj=ev,
            ref=f"{exam.code}/{indicator.code}",
            summary=f"Bukti {ev.name} ({ev.size} bita)",
        )
    return ev


def _check_upload(upload):
    if upload is None or not upload.size:
        raise DomainError("Berkas bukti kosong.")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise DomainError("Berkas bukti terlalu besar (maksimal 5 MB).")
    if upload.content_type not in EVIDENCE_TYPES:
        raise DomainError("Bukti harus berupa PDF atau foto (JPEG, PNG, WebP).")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(MAGIC[upload.content_type]):
        raise DomainError("Isi berkas tidak sesuai dengan jenisnya (PDF/foto).")


def examination_submit(*, actor, examination: Examination) -> Examination:
    """Freeze the figures and the scores; refused while an indicator waits for the examiner."""
    _require_examiner(actor, examination)
    with action_atomic():
        exam = _lock(examination)
        _require_draft(exam)
        values, _figs = selectors.examination_figures(exam)
        result = selectors.examination_result(exam, values)
        waiting = [i.name for i in result.indicators() if i.status == scoring.UNSCORED]
        if waiting:
            raise DomainError(
                "Belum dapat diajukan; indikator belum dinilai: " + ", ".join(waiting[:8]) + "."
            )
        if not result.complete:
            raise DomainError("Belum dapat diajukan: " + "; ".join(result.missing) + ".")
        if exam.kuk_class is None:
            raise DomainError("Isi klasifikasi usaha koperasi (KUK 1–4) sebelum mengajukan.")
        exam.figures = selectors.encode_figures(values)
        exam.facts = selectors.facts_for(exam.cooperative, values)
        exam.total, exam.predicate = result.total, result.predicate
        exam.result = result_json(result)
        exam.status, exam.submitted_at = S.SUBMITTED, timezone.now()
        exam.save(
            update_fields=["figures", "facts", "total", "predicate", "result", "status", "submitted_at"]
        )
        audit.record(
            actor,
            "examination_submit",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"Diajukan: skor {exam.total}, {exam.get_predicate_display()}",
        )
    return exam


def result_json(result: scoring.Result) -> dict:
    def num(v):
        return None if v is None else str(v)

    return {
        "total": num(result.total),
        "predicate": result.predicate,
        "aspects": [
            {
                "code": a.code,
                "name": a.name,
                "weight": num(a.weight),
                "score": num(a.score),
                "reason": a.reason,
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "status": i.status,
                        "value": num(i.value),
                        "score": num(i.score),
                        "reason": i.reason,
                        "unconfirmed": i.unconfirmed,
                    }
                    for i in a.indicators
                ],
            }
            for a in result.aspects
        ],
    }


def examination_approve(*, actor, examination: Examination) -> Examination:
    """Approval by a kepala of the kabupaten who is not the examiner (four-eyes)."""
    require_dinas(actor, examination.cooperative.kabupaten_id, "persetujuan pemeriksaan", kinds=HEADS)
    if not is_system(actor) and actor.pk == examination.examiner_id:
        raise NotAllowed("Pemeriksa tidak dapat menyetujui pemeriksaannya sendiri (prinsip empat mata).")
    with action_atomic():
        exam = _lock(examination)
        if exam.status != S.SUBMITTED:
            raise DomainError("Hanya pemeriksaan yang sudah diajukan yang dapat disetujui.")
        exam.status, exam.approved_at = S.APPROVED, timezone.now()
        exam.approved_by = None if is_system(actor) else actor
        exam.save(update_fields=["status", "approved_at", "approved_by"])
        if exam.supersedes_id:
            Examination.objects.filter(pk=exam.supersedes_id).update(status=S.SUPERSEDED)
        audit.record(
            actor,
            "examination_approve",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"Disetujui: {exam.get_predicate_display()}",
        )
    return exam


def examination_return(*, actor, examination: Examination, reason: str) -> Examination:
    """The kepala sends a submitted examination back to the examiner (draft again)."""
    require_dinas(actor, examination.cooperative.kabupaten_id, "pengembalian pemeriksaan", kinds=HEADS)
    if not reason.strip():
        raise DomainError("Tuliskan alasan pengembalian.")
    with action_atomic():
        exam = _lock(examination)
        if exam.status != S.SUBMITTED:
            raise DomainError("Hanya pemeriksaan yang sudah diajukan yang dapat dikembalikan.")
        exam.status, exam.submitted_at = S.DRAFT, None
        if exam.figures_source == Examination.Source.BOOKS:
            exam.figures, exam.facts = {}, {}
        exam.save(update_fields=["status", "submitted_at", "figures", "facts"])
        audit.record(
            actor,
            "examination_return",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary=f"Dikembalikan: {reason.strip()[:200]}",
        )
    return exam


def examination_publish(*, actor, examination: Examination) -> Examination:
    """Make an approved examination visible to the cooperative."""
    require_dinas(actor, examination.cooperative.kabupaten_id, "publikasi pemeriksaan", kinds=DINAS_ANY)
    with action_atomic():
        exam = _lock(examination)
        if exam.status != S.APPROVED:
            raise DomainError("Hanya pemeriksaan yang sudah disetujui yang dapat dipublikasikan.")
        exam.status, exam.published_at = S.PUBLISHED, timezone.now()
        exam.save(update_fields=["status", "published_at"])
        audit.record(
            actor,
            "examination_publish",
            cooperative=exam.cooperative,
            obj=exam,
            ref=exam.code,
            summary="Hasil pemeriksaan dipublikasikan ke koperasi",
        )
    return exam


def examination_new_version(*, actor, examination: Examination) -> Examination:
    """A correction of an approved or published examination: a new draft version with the same
    answers; the old one stays as it was until the new one is approved."""
    require_dinas(actor, examination.cooperative.kabupaten_id, "koreksi pemeriksaan", kinds=EXAMINERS)
    with action_atomic():
        old = _lock(examination)
        if old.status not in (S.APPROVED, S.PUBLISHED):
            raise DomainError("Versi baru hanya untuk pemeriksaan yang sudah disetujui.")
        if Examination.objects.filter(supersedes=old).exists():
            raise DomainError("Pemeriksaan ini sudah memiliki versi baru.")
        new = Examination.objects.create(
            cooperative=old.cooperative,
            year=old.year,
            rubric=old.rubric,
            version=old.version + 1,
            figures_source=old.figures_source,
            kuk_class=old.kuk_class,
            summary=old.summary,
            supersedes=old,
            figures=old.figures if old.figures_source == Examination.Source.REPORTED else {},
            examiner=actor if not is_system(actor) else old.examiner,
        )
        Assessment.objects.bulk_create(
            [
                Assessment(
                    cooperative=old.cooperative,
                    examination=new,
                    indicator_id=a.indicator_id,
                    items=a.items,
                    manual_score=a.manual_score,
                    not_applicable=a.not_applicable,
                    note=a.note,
                )
                for a in Assessment.objects.filter(cooperative=old.cooperative, examination=old)
            ]
        )
        audit.record(
            actor,
            "examination_new_version",
            cooperative=new.cooperative,
            obj=new,
            ref=new.code,
            summary=f"Versi {new.version} menggantikan {old.code}",
        )
    return new


# --------------------------------------------------------------------------- follow-ups


def followup_add(*, actor, examination: Examination, recommendation: str, deadline: dt.date) -> FollowUp:
    """A recommendation with a deadline (added by the examiner before approval)."""
    _require_examiner(actor, examination)
    if not recommendation.strip():
        raise DomainError("Rekomendasi tidak boleh kosong.")
    if deadline is None:
        raise DomainError("Batas waktu tindak lanjut wajib diisi.")
    with action_atomic():
        exam = _lock(examination)
        if exam.status not in (S.DRAFT, S.SUBMITTED):
            raise DomainError("Rekomendasi tidak dapat ditambahkan pada pemeriksaan yang sudah disetujui.")
        fu = FollowUp.objects.create(
            cooperative=exam.cooperative,
            examination=exam,
            recommendation=recommendation.strip(),
            deadline=deadline,
            created_by=exam.examiner if is_system(actor) else actor,
        )
        audit.record(
            actor,
            "followup_add",
            cooperative=exam.cooperative,
            obj=fu,
            ref=fu.code,
            summary=f"Tindak lanjut s.d. {deadline:%d-%m-%Y}",
        )
    return fu


def followup_answer(*, actor, followup: FollowUp, response: str) -> FollowUp:
    """The pengurus answers a follow-up of a published examination."""
    require_role(actor, followup.cooperative, BOARD, "menanggapi tindak lanjut pemeriksaan")
    if not response.strip():
        raise DomainError("Tanggapan tidak boleh kosong.")
    with action_atomic():
        fu = FollowUp.objects.select_for_update().select_related("examination").get(pk=followup.pk)
        if fu.examination.status != S.PUBLISHED:
            raise DomainError("Pemeriksaan ini belum dipublikasikan.")
        if fu.status == FollowUp.Status.DONE:
            raise DomainError("Tindak lanjut ini sudah dinyatakan selesai oleh Dinas.")
        fu.response, fu.status = response.strip(), FollowUp.Status.ANSWERED
        fu.responded_by, fu.responded_at = (None if is_system(actor) else actor), timezone.now()
        fu.save(update_fields=["response", "status", "responded_by", "responded_at"])
        audit.record(
            actor,
            "followup_answer",
            cooperative=fu.cooperative,
            obj=fu,
            ref=fu.code,
            summary="Tindak lanjut dijawab koperasi",
        )
    return fu


def followup_close(*, actor, followup: FollowUp, done: bool = True) -> FollowUp:
    """The Dinas accepts an answer (done) or reopens the follow-up."""
    require_dinas(actor, followup.cooperative.kabupaten_id, "penilaian tindak lanjut", kinds=DINAS_ANY)
    with action_atomic():
        fu = FollowUp.objects.select_for_update().get(pk=followup.pk)
        if done and fu.status != FollowUp.Status.ANSWERED:
            raise DomainError("Hanya tindak lanjut yang sudah dijawab yang dapat dinyatakan selesai.")
        fu.status = FollowUp.Status.DONE if done else FollowUp.Status.OPEN
        fu.closed_by = None if is_system(actor) or not done else actor
        fu.closed_at = timezone.now() if done else None
        fu.save(update_fields=["status", "closed_by", "closed_at"])
        audit.record(
            actor,
            "followup_close",
            cooperative=fu.cooperative,
            obj=fu,
            ref=fu.code,
            summary="Selesai" if done else "Dibuka kembali",
        )
    return fu
