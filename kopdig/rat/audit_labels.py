"""Human labels of the RAT's audit rows (registered with ``kopdig.audit.labels`` at start-up):
the action names and the snapshot keys the RAT actions write."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "rat_settings_save": _("Aturan RAT disimpan"),
    "meeting_schedule": _("RAT dijadwalkan"),
    "agenda_item_save": _("Mata acara RAT disimpan"),
    "meeting_publish": _("RAT diumumkan"),
    "invitations_issue": _("Undangan RAT dikirim"),
    "report_section_save": _("Bagian laporan tahunan disimpan"),
    "rapb_lines_save": _("RAPB disimpan"),
    "annual_report_ready": _("Laporan tahunan dinyatakan siap"),
    "attendance_check_in": _("Kehadiran RAT"),
    "meeting_open": _("RAT dibuka"),
    "meeting_postpone": _("RAT ditunda"),
    "item_open": _("Pemungutan suara dibuka"),
    "vote_cast": _("Suara diberikan"),
    "item_totals_enter": _("Hitungan suara manual"),
    "item_close": _("Mata acara diputuskan"),
    "meeting_close": _("RAT ditutup"),
    "rat_held_record": _("RAT di Kopdig dicatat"),
}

# Keys of the before/after snapshots that are not model fields of the row.
KEYS = {
    "eligible": _("berhak suara"),
    "invited": _("diundang"),
    "quorum_first": _("kuorum panggilan pertama"),
    "quorum_second": _("kuorum panggilan kedua"),
    "call": _("panggilan"),
    "present": _("hadir"),
    "for": _("setuju"),
    "against": _("tidak setuju"),
    "abstain": _("abstain"),
    "turnout": _("jumlah pemilih"),
    "passed": _("diterima"),
    "officers": _("pengurus/pengawas terpilih"),
    "via": _("cara pemberitahuan"),
    "chars": _("panjang teks"),
    "lines": _("baris"),
    "on": _("tanggal"),
    "candidates": _("calon"),
    "choice": _("pilihan"),
    "member": _("anggota"),
    "candidate": _("calon"),
    "threshold": _("ambang keputusan"),
    "ballot": _("jenis pemungutan suara"),
    "seats": _("kursi"),
    "mode": _("cara"),
}


def register() -> None:
    from kopdig.audit import labels

    for action, label in ACTIONS.items():
        labels.register(action, label)
    for key, label in KEYS.items():
        labels.KEYS.setdefault(key, label)
