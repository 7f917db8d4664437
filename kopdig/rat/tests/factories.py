"""Test helpers of the RAT app."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kopdig.rat import actions
from kopdig.rat.models import AgendaItem, Meeting
from kopdig.savings.models import Due, SavingsProduct
from kopdig.shu import actions as shu_actions
from kopdig.tenancy.models import Role
from kopdig.tenancy.tests.factories import UserFactory


def pokok_amount(coop):
    product = SavingsProduct.objects.filter(cooperative=coop, kind="pokok").first()
    return product.amount if product and product.amount else "100000"


def arrears(coop, member, *, months: int):
    first = timezone.localdate().replace(day=1)
    for i in range(1, months + 1):
        period = (first - dt.timedelta(days=31 * i)).replace(day=1)
        Due.objects.create(cooperative=coop, member=member, period=period, amount="50000")


def close_shu_year(actor, coop, year):
    shu_actions.shu_year_save(actor=actor, cooperative=coop, year=year, transaksi_basis="volume")
    shu_actions.shu_year_close(actor=actor, cooperative=coop, year=year)


def rules(actor, coop, **kw):
    values = {
        "notice_days": 7,
        "quorum_first": "1/2+1",
        "quorum_second": "1/5",
        "min_member_months": 3,
        "require_pokok": True,
        "max_wajib_arrears_months": 3,
        "term_years": 5,
        **kw,
    }
    return actions.rat_settings_save(actor=actor, cooperative=coop, **values)


def scheduled(w, **kw):
    values = {
        "book_year": w.year,
        "date": timezone.localdate() + dt.timedelta(days=10),
        "first_call": dt.time(9, 0),
        "second_call": dt.time(9, 30),
        "venue": "Balai Desa Kraksaan",
        "online_url": "https://meet.example.org/rat",
        "decision_number": f"01/RAT/{w.year}",
        **kw,
    }
    return actions.meeting_schedule(actor=w.pengurus_a, cooperative=w.coop_a, **values)


def publish_and_arrive(w, meeting):
    """Publish (outside the notice period), then the day of the meeting arrives."""
    actions.meeting_publish(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    meeting.refresh_from_db()
    return meeting


def check_in(w, meeting, number):
    return actions.attendance_check_in(
        actor=w.kasir_a, cooperative=w.coop_a, code=meeting.code, number=number
    )


def item(meeting, kind):
    return AgendaItem.objects.get(meeting=meeting, kind=kind)


def election(w, *, seats=2, ballot="secret", names=("Ana", "Budi", "Citra")):
    return actions.agenda_item_save(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        meeting_code=w.meeting.code,
        kind="el_pengurus",
        title="Pemilihan pengurus 2026–2031",
        ballot=ballot,
        seats=seats,
        candidates=[(n, "ketua" if i == 0 else "anggota", "") for i, n in enumerate(names)],
    )


def member_user(coop, member, username):
    user = UserFactory(username=username)
    Role.objects.create(cooperative=coop, user=user, kind="anggota")
    member.user = user
    member.save(update_fields=["user"])
    return user
