import datetime as dt

import pytest

from kopdig.lib.nik import make_nik


def nik(n, gender="L", born=dt.date(1985, 5, 12)):
    return make_nik("35.13.14", born, gender, n)


@pytest.fixture
def admit(world):
    """admit(name, n=serial, gender=..., joined_on=...) -> Member, through member_admit."""
    from kopdig.members.actions import member_admit
    from kopdig.savings._postings import ensure_products

    ensure_products(world.coop_a)
    ensure_products(world.coop_b)

    def _admit(
        name="Budi Santoso", n=1, gender="L", joined_on=dt.date(2025, 1, 2), coop=None, actor=None, **kw
    ):
        return member_admit(
            actor=actor or world.kasir_a,
            cooperative=coop or world.coop_a,
            nik=nik(n, gender),
            name=name,
            gender=gender,
            joined_on=joined_on,
            **kw,
        )

    return _admit


@pytest.fixture
def sukarela(world):
    """sukarela(member) -> the member's sukarela account number (opened through the action)."""
    from kopdig.savings.actions import savings_account_open

    def _open(member, date=dt.date(2025, 1, 2)):
        return savings_account_open(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            member_number=member.number,
            product_code="sukarela",
            date=date,
        ).number

    return _open
