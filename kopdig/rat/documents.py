"""Contexts of the RAT's printed documents (invitation letters with QR, minutes, RAT book) and
the WhatsApp invitation text. Reads only."""

from __future__ import annotations

import io

import segno
from django.utils import timezone

from kopdig.lib.formats import tanggal

from . import selectors


def qr_svg(data: str) -> str:
    """An inline SVG QR code (segno) for a link."""
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="svg", scale=3, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def qr_png(data: str) -> bytes:
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def wa_number(phone: str) -> str:
    """+62 812-3456 / 0812 3456 → 628123456 (the wa.me form)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def _when(meeting) -> str:
    return f"{tanggal(meeting.date)} pukul {meeting.first_call:%H.%M} WIB"


def whatsapp_text(coop, meeting, member, link: str) -> str:
    place = meeting.venue or "daring"
    return (
        f"Yth. {member.name} (No. {member.number}), Anda diundang menghadiri Rapat Anggota Tahunan "
        f"{coop.name} tahun buku {meeting.book_year} pada {_when(meeting)} di {place}. "
        f"Tautan pribadi Anda (daftar hadir daring dan surat suara): {link}"
    )


def invitations_context(coop, meeting, members, links: dict) -> dict:
    letters = [{"member": m, "link": links[m.number], "qr": qr_svg(links[m.number])} for m in members]
    return {
        "coop": coop,
        "meeting": meeting,
        "letters": letters,
        "items": selectors.items(coop, meeting),
        "when": _when(meeting),
        "signatures": [("Ketua", _chair(coop, meeting))],
    }


def _chair(coop, meeting) -> str:
    return meeting.chair_name or "Pengurus"


def minutes_context(coop, meeting) -> dict:
    return {
        "coop": coop,
        "meeting": meeting,
        "items": selectors.items(coop, meeting),
        "quorum": selectors.quorum(coop, meeting),
        "attendance": selectors.attendance_list(coop, meeting),
        "elected": selectors.elected(coop, meeting),
        "printed_at": timezone.localdate(),
        "with_attendance": True,
        "signatures": [
            ("Pimpinan rapat", meeting.chair_name or "……………"),
            ("Sekretaris rapat", meeting.secretary_name or "……………"),
            ("Wakil anggota", meeting.witness_name or "……………"),
        ],
    }


def book_context(coop, meeting) -> dict:
    """The RAT book: cover, agenda, laporan tahunan, decisions (the attendance list, signed at the
    meeting, is in the minutes)."""
    return {
        **minutes_context(coop, meeting),
        **selectors.annual_report(coop, meeting),
        "with_attendance": False,
    }
