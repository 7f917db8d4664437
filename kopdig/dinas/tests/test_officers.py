"""Officers (pengurus/pengawas) and staff of a cooperative: one save and one delete for both,
each audited; a refusal changes nothing."""

import datetime as dt

import pytest

from kopdig.audit.models import AuditLog
from kopdig.dinas import actions
from kopdig.dinas.models import CoopOfficer, CoopStaff
from kopdig.lib.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _log(action):
    return list(AuditLog.objects.filter(action=action).order_by("id"))


def test_officer_add_change_delete_each_audited(world):
    coop = world.coop_a
    officer = actions.coop_officer_save(
        actor=world.dinas,
        cooperative=coop,
        body="pengurus",
        position="ketua",
        name="  Hesti  ",
        phone=" 0812 ",
        term_start=dt.date(2024, 1, 1),
    )
    assert (officer.name, officer.phone, officer.term_end) == ("Hesti", "0812", None)
    changed = actions.coop_officer_save(
        actor=world.dinas,
        cooperative=coop,
        body="pengurus",
        position="ketua",
        name="Hesti Irawan",
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2028, 12, 31),
        code=officer.code,
    )
    assert changed.pk == officer.pk and CoopOfficer.objects.get().name == "Hesti Irawan"
    first, second = _log("coop_officer_save")
    assert first.before is None and first.after["name"] == "Hesti" and first.object_ref == officer.code
    assert second.before["name"] == "Hesti" and second.after["name"] == "Hesti Irawan"
    actions.coop_officer_delete(actor=world.dinas, cooperative=coop, code=officer.code)
    assert not CoopOfficer.objects.exists()
    (deleted,) = _log("coop_officer_delete")
    assert deleted.before["name"] == "Hesti Irawan" and deleted.summary == "Hesti Irawan"


def test_staff_add_change_delete_by_the_pengurus(world):
    coop = world.coop_a
    staff = actions.coop_staff_save(
        actor=world.pengurus_a, cooperative=coop, position="manajer", name="Budi", since=dt.date(2023, 2, 1)
    )
    actions.coop_staff_save(
        actor=world.pengurus_a,
        cooperative=coop,
        position="karyawan",
        name="Budi",
        since=dt.date(2023, 2, 1),
        code=staff.code,
    )
    assert CoopStaff.objects.get().position == "karyawan"
    assert [r.before and r.before["position"] for r in _log("coop_staff_save")] == [None, "manajer"]
    actions.coop_staff_delete(actor=world.pengurus_a, cooperative=coop, code=staff.code)
    assert not CoopStaff.objects.exists() and len(_log("coop_staff_delete")) == 1


def test_refusals_change_nothing(world):
    coop = world.coop_a
    officer = actions.coop_officer_save(
        actor=world.dinas, cooperative=coop, body="pengawas", position="anggota", name="Ani"
    )
    refused = [
        (
            NotAllowed,
            lambda: actions.coop_officer_save(
                actor=world.pengurus_a, cooperative=coop, body="pengurus", position="ketua", name="X"
            ),
        ),
        (
            NotAllowed,
            lambda: actions.coop_staff_save(
                actor=world.kasir_a, cooperative=coop, position="manajer", name="X"
            ),
        ),
        (
            DomainError,
            lambda: actions.coop_officer_save(
                actor=world.dinas, cooperative=coop, body="pengurus", position="ketua", name="   "
            ),
        ),
        (
            DomainError,
            lambda: actions.coop_officer_save(
                actor=world.dinas, cooperative=coop, body="rat", position="ketua", name="X"
            ),
        ),
        (
            DomainError,
            lambda: actions.coop_staff_save(
                actor=world.dinas,
                cooperative=coop,
                position="manajer",
                name="X",
                since=dt.date(2024, 5, 1),
                until=dt.date(2024, 4, 1),
            ),
        ),
        (
            DomainError,
            lambda: actions.coop_officer_save(
                actor=world.dinas,
                cooperative=coop,
                body="pengawas",
                position="anggota",
                name="Ani B",
                code="nope",
            ),
        ),
        (
            DomainError,
            lambda: actions.coop_staff_delete(actor=world.dinas, cooperative=coop, code=officer.code),
        ),
        (
            DomainError,
            lambda: actions.coop_officer_delete(
                actor=world.dinas, cooperative=world.coop_b, code=officer.code
            ),
        ),
    ]
    logged = AuditLog.objects.count()
    for error, call in refused:
        with pytest.raises(error):
            call()
    assert (
        list(CoopOfficer.objects.values_list("name", flat=True)) == ["Ani"] and not CoopStaff.objects.exists()
    )
    assert AuditLog.objects.count() == logged
