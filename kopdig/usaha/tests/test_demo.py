"""The business-unit demo step (shortened): products, deliveries, consignment, sales; books and
stock prove; a second run changes nothing."""

import datetime as dt
from types import SimpleNamespace

import pytest

from kopdig.ledger.models import JournalEntry
from kopdig.members.models import Member
from kopdig.tenancy.actions import _create_cooperative
from kopdig.tenancy.models import Role
from kopdig.tenancy.tests.factories import UserFactory

from .. import demo
from ..models import ConsignmentPayout, Product, Purchase, Sale
from .conftest import books_ok

pytestmark = pytest.mark.django_db


def _coop(world, slug, jenis):
    coop = _create_cooperative(
        kabupaten=world.kab,
        name=slug,
        slug=slug,
        jenis=jenis,
        kecamatan=world.coop_a.kecamatan,
        on_kopdig=True,
    )
    for kind in ("pengurus", "kasir"):
        Role.objects.create(cooperative=coop, user=UserFactory(username=f"{slug}-{kind}"), kind=kind)
    Member.objects.bulk_create(
        Member(
            cooperative=coop,
            number=f"{i:05d}",
            nik=f"35131541019{i:05d}",
            name=f"Ibu {i}",
            gender="P",
            joined_on=dt.date(2020, 1, 2),
        )
        for i in range(1, 31)
    )
    return coop


def test_demo_builds_real_trade_and_is_idempotent(world, monkeypatch, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    monkeypatch.setattr(demo, "SRIKANDI_MONTHS", 1)
    monkeypatch.setattr(demo, "KSU_MONTHS", 1)
    sk, ksu = _coop(world, "kopwan-srikandi", "produsen"), _coop(world, "ksu-tunas-harapan", "serba_usaha")
    logs = []
    ctx = SimpleNamespace(today=dt.date(2025, 7, 20), showcase=[sk, ksu, world.coop_b], log=logs.append)
    demo.run(ctx)
    assert Product.objects.filter(cooperative=sk, published=True).count() == 40
    assert (
        Sale.objects.filter(cooperative=sk).count() > 10 and Sale.objects.filter(cooperative=ksu).count() > 10
    )
    assert Purchase.objects.filter(cooperative=sk, consignment=True).exists()
    assert ConsignmentPayout.objects.filter(cooperative=sk).exists()
    for coop in (sk, ksu):
        books_ok(coop)
    counts = (JournalEntry.objects.count(), Sale.objects.count())
    demo.run(ctx)
    assert (JournalEntry.objects.count(), Sale.objects.count()) == counts
