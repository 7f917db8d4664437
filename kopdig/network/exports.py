"""Excel sheets of the network lists: (title, header, rows) for kopdig.lib.documents.xlsx_response."""

from __future__ import annotations

from kopdig.lib.formats import tanggal


def listings(qs):
    rows = [
        (
            x.get_kind_display(),
            x.commodity,
            x.get_category_display(),
            x.party_name,
            x.quantity_per_month,
            x.unit,
            x.price_min,
            x.price_max,
            x.certifications,
        )
        for x in qs
    ]
    return [
        (
            "Jejaring",
            [
                "Jenis",
                "Komoditas",
                "Kategori",
                "Pihak",
                "Jumlah/bulan",
                "Satuan",
                "Harga min",
                "Harga maks",
                "Sertifikasi",
            ],
            rows,
        )
    ]


def _parties(a):
    return "; ".join(f"{p.party_name} ({p.get_role_display()})" for p in a.parties.all())


def agreements(qs):
    rows = [
        (
            a.code,
            a.subject,
            a.commodity,
            _parties(a),
            tanggal(a.start),
            tanggal(a.end) if a.end else "",
            a.planned_value,
            a.get_status_display(),
        )
        for a in qs
    ]
    return [
        (
            "Kerja sama",
            ["Kode", "Perihal", "Komoditas", "Pihak", "Mulai", "Berakhir", "Rencana nilai/bulan", "Status"],
            rows,
        )
    ]


def network_report(r):
    rows = [
        (
            x["agreement"].code,
            x["agreement"].subject,
            _parties(x["agreement"]),
            x["agreement"].get_status_display(),
            x["planned"],
            x["realised"],
            float(x["achievement"]) if x["achievement"] is not None else None,
        )
        for x in r["rows"]
    ]
    summary = [
        ("Kerja sama", r["agreements"]),
        ("Ditandatangani", r["signed"]),
        ("Berjalan", r["active"]),
        ("Terealisasi", r["realised"]),
        ("Gagal", r["failed"]),
        ("Rencana nilai", r["planned_value"]),
        ("Realisasi nilai", r["realised_value"]),
        ("Perkenalan", r["introductions"]),
        ("Perkenalan diterima", r["accepted"]),
    ]
    return [
        ("Ringkasan", ["Ukuran", "Nilai"], summary),
        ("Kerja sama", ["Kode", "Perihal", "Pihak", "Status", "Rencana", "Realisasi", "Capaian %"], rows),
    ]
