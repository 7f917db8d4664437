"""Documents of the programmes app: QR codes and the contexts of invitation letters, attendance
sheets, certificates and the annual programme report (rendered by kopdig.lib.documents)."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils import timezone

from kopdig.lib.formats import tanggal

from . import cohorts
from .actions import certificate_key


def qr_svg_data_uri(text: str, scale: int = 4) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=1)


def participant_url(request, raw_token: str) -> str:
    path = reverse("programs:participant", args=[raw_token])
    return request.build_absolute_uri(path) if request else path


def verification_url(request, number: str) -> str:
    code = cohorts.certificate_code(number, certificate_key())
    path = reverse("programs:verify") + f"?n={number}&c={code}"
    return request.build_absolute_uri(path) if request else path


def event_period(event) -> str:
    if event.start_date == event.end_date:
        return tanggal(event.start_date)
    return f"{tanggal(event.start_date)} – {tanggal(event.end_date)}"


def invitation_context(request, event, issued) -> dict:
    """``issued``: [(participation, raw token)] freshly issued for these letters."""
    letters = [
        {"p": p, "url": participant_url(request, raw), "qr": qr_svg_data_uri(participant_url(request, raw))}
        for p, raw in issued
    ]
    return {"event": event, "letters": letters, "period": event_period(event), "today": timezone.localdate()}


def certificate_context(request, event, participations) -> dict:
    certs = []
    for p in participations:
        url = verification_url(request, p.certificate_number)
        certs.append({"p": p, "url": url, "qr": qr_svg_data_uri(url, scale=3)})
    return {"event": event, "certs": certs, "period": event_period(event)}
