"""Excel sheets of the programme lists: (title, header, rows) for kopdig.lib.documents.xlsx_response."""

from __future__ import annotations

from kopdig.lib.formats import tanggal


def events(qs):
    rows = [
        (
            e.code,
            e.get_kind_display(),
            e.title,
            tanggal(e.start_date),
            tanggal(e.end_date),
            e.venue,
            e.kecamatan.name if e.kecamatan_id else "",
            e.organiser,
            e.capacity or "",
            e.n_registered,
            e.budget,
            e.realised_cost,
            e.get_status_display(),
        )
        for e in qs
    ]
    return [
        (
            "Kegiatan",
            [
                "Kode",
                "Jenis",
                "Tema",
                "Mulai",
                "Selesai",
                "Tempat",
                "Kecamatan",
                "Penyelenggara",
                "Kapasitas",
                "Peserta terdaftar",
                "Anggaran",
                "Realisasi",
                "Status",
            ],
            rows,
        )
    ]


def participants(event, qs, days, matrix):
    attended = {r["p"].pk: r["n"] for r in matrix}
    rows = [
        (
            p.person.name,
            p.person.nik,
            p.person.get_gender_display(),
            tanggal(p.person.birth_date),
            p.cooperative.name
            if p.cooperative_id
            else (p.person.organisation.name if p.person.organisation_id else ""),
            p.person.position,
            p.get_role_display(),
            p.get_status_display(),
            attended.get(p.pk, 0),
            p.certificate_number,
        )
        for p in qs
    ]
    return [
        (
            f"Peserta {event.code}",
            [
                "Nama",
                "NIK",
                "Jenis kelamin",
                "Tanggal lahir",
                "Koperasi/lembaga",
                "Jabatan",
                "Peran",
                "Status",
                f"Hari hadir (dari {len(days)})",
                "No. sertifikat",
            ],
            rows,
        )
    ]


def reach(r):
    coops = [
        (c.name, c.get_jenis_display(), c.get_kelompok_display(), c.kecamatan.name if c.kecamatan_id else "")
        for c in r["coops"]
    ]
    never = [
        (c.name, c.get_jenis_display(), c.kecamatan.name if c.kecamatan_id else "")
        for c in r["never_reached"]
    ]
    gens = [(g["label"], g["n"], g["share"]) for g in r["people"]["generations"]]
    return [
        (f"Koperasi terjangkau {r['year']}", ["Koperasi", "Jenis", "Kelompok", "Kecamatan"], coops),
        ("Belum terjangkau 3 tahun", ["Koperasi", "Jenis", "Kecamatan"], never),
        ("Generasi peserta", ["Generasi", "Orang", "Persen"], gens),
    ]


def follow_ups(board):
    rows = [
        (
            f.what,
            str(f.owner or ""),
            tanggal(f.deadline),
            f.get_status_display(),
            "terlambat" if f in board["overdue"] else "",
            f.event.title if f.event_id else "",
        )
        for f in board["overdue"] + board["upcoming"] + board["done"]
    ]
    return [
        (
            "Tindak lanjut",
            ["Tindak lanjut", "Penanggung jawab", "Tenggat", "Status", "Keterangan", "Kegiatan"],
            rows,
        )
    ]


def agreements(qs):
    rows = [
        (
            a.number,
            a.subject,
            tanggal(a.signed_on),
            tanggal(a.valid_until) if a.valid_until else "",
            ", ".join([o.name for o in a.organisations.all()] + [c.name for c in a.cooperatives.all()]),
        )
        for a in qs
    ]
    return [("Nota kesepahaman", ["Nomor", "Perihal", "Ditandatangani", "Berlaku sampai", "Pihak"], rows)]


def organisations(qs):
    rows = [
        (o.name, o.get_kind_display(), o.region.name if o.region_id else "", o.contact, o.phone) for o in qs
    ]
    return [("Lembaga", ["Nama", "Jenis", "Wilayah", "Narahubung", "Telepon"], rows)]
