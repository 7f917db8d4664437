"""The before/after table of an event: the participating cooperative's indicators for the book
year before the event and for the event's year, health predicate and online products included."""

import datetime as dt

import pytest

from kopdig.health import actions as health_actions
from kopdig.health.tests.conftest import _shipped_rubrics, books, examiner, kepala  # noqa: F401
from kopdig.health.tests.test_actions import ready
from kopdig.programs import actions, selectors
from kopdig.programs.models import Event
from kopdig.usaha import actions as usaha_actions

from .conftest import NIK_WOMAN_1999

pytestmark = pytest.mark.django_db


def test_predicate_and_online_products_before_and_after(books, examiner, kepala):  # noqa: F811 (fixtures above)
    world = books
    exam = health_actions.examination_submit(actor=examiner, examination=ready(books, examiner))
    health_actions.examination_approve(actor=kepala, examination=exam)
    for code, published in (("keripik", True), ("sambal", True), ("draft", False)):
        usaha_actions.product_create(
            actor=world.pengurus_a,
            cooperative=world.coop_a,
            code=code,
            name=code.title(),
            price_member="10000",
            price_non_member="12000",
            published=published,
        )
    event = actions.event_save(
        actor=world.dinas,
        kabupaten=world.kab,
        kind=Event.Kind.PELATIHAN,
        title="Pemasaran daring",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 3),
        status=Event.Status.OPEN,
    )
    person = actions.person_save(
        actor=world.dinas, kabupaten=world.kab, nik=NIK_WOMAN_1999, name="Sri", cooperative=world.coop_a
    )
    actions.participant_register(actor=world.dinas, event=event, person=person)

    [row] = selectors.before_after(event)
    assert (row["coop"], row["year_before"], row["year_after"]) == (world.coop_a, 2025, 2026)
    # the approved examination of book year 2025; none yet for 2026
    assert row["before"]["predikat"] == exam.get_predicate_display() != ""
    assert row["after"]["predikat"] == ""
    # two published products, created this year (2026): none online at the end of 2025
    assert (row["before"]["online"], row["after"]["online"]) == (0, 2)
