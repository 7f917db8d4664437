"""The health demo step: examinations from books and from reported figures, idempotent."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kopdig.audit.models import AuditLog
from kopdig.dinas.models import AnnualReport
from kopdig.health import demo
from kopdig.health.models import Examination
from kopdig.tenancy.models import Cooperative

pytestmark = pytest.mark.django_db


def test_demo_examines_books_and_reported_and_is_idempotent(books, monkeypatch):
    monkeypatch.setattr(demo, "N_REPORTED", 6)
    coops = []
    for n in range(8):
        c = Cooperative.objects.create(
            slug=f"kop-{n}",
            name=f"Koperasi Uji {n}",
            jenis="simpan_pinjam" if n % 2 else "konsumen",
            kabupaten=books.kab,
            kecamatan=books.coop_a.kecamatan,
        )
        for year, factor in ((2024, 1), (2025, Decimal("1.1"))):
            AnnualReport.objects.create(
                cooperative=c,
                year=year,
                aset=Decimal(400_000_000 + n * 10_000_000) * factor,
                modal_sendiri=Decimal(60_000_000 + n * 15_000_000) * factor,
                modal_luar=Decimal(300_000_000),
                volume_usaha=Decimal(500_000_000),
                shu=Decimal(9_000_000),
            )
        coops.append(c)
    logs = []
    ctx = SimpleNamespace(
        today=dt.date(2026, 3, 1), kabupaten=books.kab, showcase=[books.coop_a], log=logs.append
    )
    demo.run(ctx)
    mine = Examination.objects.filter(cooperative=books.coop_a, status="published")
    assert list(mine.values_list("year", flat=True).order_by("year")) == [2024, 2025]
    assert all(e.figures_source == "books" and e.figures["total_aset"] for e in mine)
    reported = Examination.objects.filter(figures_source="reported", status="published")
    assert reported.count() == 8  # 6 coops for 2025 + 2 of them for 2024
    assert len(set(reported.values_list("predicate", flat=True))) >= 2
    assert any("health:" in line for line in logs)
    counts = (Examination.objects.count(), AuditLog.objects.count())
    demo.run(ctx)
    assert (Examination.objects.count(), AuditLog.objects.count()) == counts
