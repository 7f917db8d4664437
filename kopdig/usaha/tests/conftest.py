import datetime as dt

import pytest

from kopdig.members.tests.conftest import admit, nik, sukarela  # noqa: F401
from kopdig.tests.browser import browser  # noqa: F401


@pytest.fixture
def shop(world):
    """Coop A (a KSU: member part by buyer) and a produsen coop P (by origin), each with products."""
    from kopdig.members.models import Member
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Role

    from .. import actions

    coop = world.coop_a
    producer = Member.objects.create(
        cooperative=coop,
        number="00002",
        nik="3513154101900002",
        name="Bu Sri",
        gender="P",
        joined_on=dt.date(2024, 1, 2),
    )
    a = world.pengurus_a
    actions.product_create(
        actor=a,
        cooperative=coop,
        code="beras",
        name="Beras 5 kg",
        unit="karung",
        price_member="60000",
        price_non_member="65000",
        category="sembako",
    )
    actions.product_create(
        actor=a,
        cooperative=coop,
        code="keripik",
        name="Keripik Kentang",
        unit="bungkus",
        price_member="15000",
        price_non_member="18000",
        category="makanan",
        producer="00002",
        consignment=True,
        commission_percent="20",
        published=True,
        producer_consent=True,
    )
    prod = _create_cooperative(
        kabupaten=world.kab,
        name="Kopwan Srikandi",
        slug="kopwan-srikandi",
        jenis="produsen",
        kecamatan=coop.kecamatan,
        on_kopdig=True,
    )
    Role.objects.create(cooperative=prod, user=world.pengurus_b, kind="manajer")
    world.prod = prod
    world.producer = producer
    world.day = dt.date(2025, 3, 3)
    return world


def books_ok(coop):
    """Trial balance zero, ledger verify and stock verify clean."""
    from kopdig.ledger.selectors import verify
    from kopdig.ledger.statements import trial_balance

    from ..selectors import stock_verify

    assert trial_balance(coop, dt.date(2099, 12, 31))["balanced"]
    assert verify(coop) == []
    assert stock_verify(coop) == []
