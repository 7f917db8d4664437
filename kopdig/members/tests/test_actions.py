import datetime as dt
from decimal import Decimal

import pytest

from kopdig.ledger.chart import account_for
from kopdig.ledger.selectors import account_balance
from kopdig.lib.errors import NotAllowed
from kopdig.lib.nik import make_nik, nik_error
from kopdig.members import actions
from kopdig.members.models import Member, MemberStatusChange
from kopdig.savings import actions as sav
from kopdig.savings.models import SavingsAccount
from kopdig.savings.tests.helpers import assert_books_ok, counts

from .conftest import nik

pytestmark = pytest.mark.django_db
D = Decimal


def test_nik_validation():
    good = make_nik("35.13.14", dt.date(1985, 5, 12), "P", 7)
    assert good == "3513145205850007"
    assert nik_error(good, gender="P", birth_date=dt.date(1985, 5, 12)) is None
    assert "16 angka" in nik_error("35131452058500")
    assert "16 angka" in nik_error("35131452058500AB")
    assert "provinsi" in nik_error("9913145205850007")
    assert "tanggal lahir" in nik_error("3513149905850007")  # day 99 − 40 = 59
    assert "laki-laki" in nik_error("3513141205850007", gender="P")
    assert "perempuan" in nik_error(good, gender="L")
    assert "tidak sesuai" in nik_error(good, gender="P", birth_date=dt.date(1985, 5, 13))


@pytest.mark.parametrize("bad", ["12345", "9913141205850001", "3513143205850001", ""])
def test_admission_with_bad_nik_refused_nothing_written(world, bad):
    before = counts(world.coop_a)
    with pytest.raises(actions.MemberError):
        actions.member_admit(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            nik=bad,
            name="Budi",
            gender="L",
            joined_on=dt.date(2025, 1, 2),
        )
    assert counts(world.coop_a) == before


def test_admission_numbers_and_pokok_posting(world, admit):
    m = admit(
        phone="0812-3456-7890",
        kecamatan=world.coop_a.kecamatan,
        desa=world.coop_a.desa,
        heir_name="Siti",
        heir_relation="istri",
        occupation="Petani",
    )
    m2 = admit(name="Sri", n=2, gender="P")
    assert (m.number, m2.number) == ("00002", "00003")  # 00001 is the fixture's member
    assert m.phone == "+6281234567890" and m.birth_date == dt.date(1985, 5, 12)
    pokok = SavingsAccount.objects.get(member=m, kind="pokok")
    assert pokok.balance == D("100000.00")
    assert SavingsAccount.objects.filter(member=m, kind="wajib").exists()
    assert account_balance(account_for(world.coop_a, "simpanan_pokok"), dt.date(2025, 1, 2)) == D("200000.00")
    assert MemberStatusChange.objects.get(member=m).to_status == "aktif"
    with pytest.raises(actions.MemberError):  # same NIK again
        admit(n=1)
    assert_books_ok(world.coop_a)


def test_bad_phone_and_desa_refused(world, admit):
    before = counts(world.coop_a)
    with pytest.raises(actions.MemberError):
        admit(phone="12345")
    other_kec = world.kab.children.exclude(pk=world.coop_a.kecamatan_id).first()
    with pytest.raises(actions.MemberError):
        admit(kecamatan=other_kec, desa=world.coop_a.desa)
    assert counts(world.coop_a) == before


def test_dinas_cannot_create_members(world):
    before = counts(world.coop_a)
    for user in (world.dinas, world.pengawas_a, world.anggota_a, world.pengurus_b):
        with pytest.raises(NotAllowed):
            actions.member_admit(actor=user, cooperative=world.coop_a, nik=nik(5), name="X", gender="L")
    assert counts(world.coop_a) == before


def test_exit_settlement_figures(world, admit, sukarela):
    m = admit()  # pokok 100,000
    sav.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=SavingsAccount.objects.get(member=m, kind="wajib").number,
        amount="75000",
        date=dt.date(2025, 2, 1),
    )
    s = sukarela(m)
    sav.savings_deposit(
        actor=world.kasir_a, cooperative=world.coop_a, account=s, amount="500000", date=dt.date(2025, 2, 1)
    )
    sav.savings_withdraw(
        actor=world.kasir_a, cooperative=world.coop_a, account=s, amount="100000", date=dt.date(2025, 2, 3)
    )
    kas_before = account_balance(account_for(world.coop_a, "kas"), dt.date(2025, 3, 1))
    with pytest.raises(NotAllowed):
        actions.member_exit(
            actor=world.kasir_a, cooperative=world.coop_a, number=m.number, date=dt.date(2025, 3, 1)
        )
    preview = actions.exit_preview(world.coop_a, m)
    assert preview["total"] == D("575000.00")
    result = actions.member_exit(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        number=m.number,
        date=dt.date(2025, 3, 1),
        reason="Pindah domisili",
    )
    assert (
        result["total"] == D("575000.00")
        and result["applied"] == D("0")
        and result["payout"] == D("575000.00")
    )
    assert result["receipt"].startswith("KW-2025-")
    m.refresh_from_db()
    assert m.status == "keluar" and m.left_on == dt.date(2025, 3, 1) and m.exit_reason == "Pindah domisili"
    assert set(SavingsAccount.objects.filter(member=m).values_list("status", "balance")) == {
        ("ditutup", D("0.00"))
    }
    assert account_balance(account_for(world.coop_a, "kas"), dt.date(2025, 3, 1)) == kas_before - D(
        "575000.00"
    )
    assert account_balance(account_for(world.coop_a, "simpanan_keluar"), dt.date(2025, 3, 1)) == D("0.00")
    with pytest.raises(actions.MemberError):
        actions.member_exit(actor=world.pengurus_a, cooperative=world.coop_a, number=m.number)
    assert_books_ok(world.coop_a)


def test_exit_settlement_repays_debt(world, admit, sukarela):
    from kopdig.loans import selectors as loans
    from kopdig.loans.actions import loan_apply, loan_approve, loan_disburse, loan_product_save

    m = admit()  # pokok 100,000
    s = sukarela(m)
    sav.savings_deposit(
        actor=world.kasir_a, cooperative=world.coop_a, account=s, amount="2000000", date=dt.date(2025, 1, 3)
    )
    product = loan_product_save(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        code="REG",
        name="Reguler",
        method="flat",
        rate_percent=D("1"),
        min_term=1,
        max_term=12,
        max_amount=D("10000000"),
        provisi_kind="persen",
        provisi_value=D("0"),
        admin_kind="tetap",
        admin_value=D("0"),
    )
    loan = loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=m,
        product=product,
        principal=D("1000000"),
        term=10,
        purpose="Modal warung",
        applied_on=dt.date(2025, 1, 5),
    )
    loan_approve(
        actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number, date=dt.date(2025, 1, 5)
    )
    loan_disburse(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        date=dt.date(2025, 1, 5),
        first_due_date=dt.date(2025, 2, 5),
    )
    debt = loans.outstanding_by_member(world.coop_a, m)
    assert debt == D("1000000.00")
    result = actions.member_exit(
        actor=world.pengurus_a, cooperative=world.coop_a, number=m.number, date=dt.date(2025, 1, 20)
    )
    assert result["total"] == D("2100000.00")
    assert result["applied"] >= debt  # principal plus any jasa the product's payoff rule charges
    assert result["payout"] == result["total"] - result["applied"]
    assert loans.outstanding_by_member(world.coop_a, m) == D("0.00")
    assert account_balance(account_for(world.coop_a, "simpanan_keluar"), dt.date(2025, 1, 20)) == D("0.00")
    assert_books_ok(world.coop_a)


def test_activate_calon(world, admit):
    m = admit(status="calon")
    with pytest.raises(NotAllowed):
        actions.member_activate(actor=world.kasir_a, cooperative=world.coop_a, number=m.number)
    actions.member_activate(
        actor=world.manajer_a, cooperative=world.coop_a, number=m.number, date=dt.date(2025, 2, 1)
    )
    m.refresh_from_db()
    assert m.status == "aktif"
    assert list(MemberStatusChange.objects.filter(member=m).values_list("from_status", "to_status")) == [
        ("", "calon"),
        ("calon", "aktif"),
    ]


def test_member_login_set_and_reset(world, admit):
    m = admit()
    user = actions.member_login_set(
        actor=world.kasir_a, cooperative=world.coop_a, number=m.number, password="Sandi-Anggota-77"
    )
    assert user.username == "ksu-sejahtera-00002"
    assert user.roles.get().kind == "anggota"
    actions.member_login_set(
        actor=world.pengurus_a, cooperative=world.coop_a, number=m.number, password="Sandi-Baru-88"
    )
    user.refresh_from_db()
    assert user.check_password("Sandi-Baru-88")
    with pytest.raises(NotAllowed):
        actions.member_login_set(
            actor=world.pengawas_a, cooperative=world.coop_a, number=m.number, password="Sandi-Baru-99"
        )


def test_member_update(world, admit):
    m = admit()
    actions.member_update(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=m.number,
        phone="081234567891",
        address="Dusun Krajan RT 2",
    )
    m.refresh_from_db()
    assert m.phone == "+6281234567891" and m.address == "Dusun Krajan RT 2"


def test_import_all_or_nothing(world):
    from kopdig.savings._postings import ensure_products

    ensure_products(world.coop_a)
    kec = world.coop_a.kecamatan.name
    desa = world.coop_a.desa.name
    rows = [
        (
            2,
            {
                "nik": make_nik("35.13.14", dt.date(1980, 1, 5), "L", 11),
                "nama": "Ahmad Fauzi",
                "jenis_kelamin": "L",
                "kecamatan": kec,
                "desa": desa,
                "no_hp": "081211112222",
                "tanggal_masuk": "02-01-2025",
            },
        ),
        (3, {"nik": "123", "nama": "Salah", "jenis_kelamin": "L"}),
        (
            4,
            {
                "nik": make_nik("35.13.14", dt.date(1990, 2, 6), "P", 12),
                "nama": "Siti",
                "jenis_kelamin": "P",
                "kecamatan": "Atlantis",
            },
        ),
    ]
    before = counts(world.coop_a)
    with pytest.raises(actions.ImportErrors) as exc:
        actions.member_import(actor=world.kasir_a, cooperative=world.coop_a, rows=rows)
    assert [r for r, _ in exc.value.errors] == [3, 4]
    assert counts(world.coop_a) == before
    members = actions.member_import(actor=world.kasir_a, cooperative=world.coop_a, rows=[rows[0]])
    assert [(m.name, m.joined_on, m.desa_id) for m in members] == [
        ("Ahmad Fauzi", dt.date(2025, 1, 2), world.coop_a.desa_id)
    ]
    assert Member.objects.filter(cooperative=world.coop_a).count() == 2
    assert_books_ok(world.coop_a)


def test_member_signs_in_with_coop_slug_and_number(world, admit, api_client):
    m = admit()
    actions.member_login_set(
        actor=world.kasir_a, cooperative=world.coop_a, number=m.number, password="Sandi-Anggota-77"
    )
    from kopdig.tenancy.models import User

    user = User.objects.get(username="ksu-sejahtera-00002")
    c = api_client.as_user(user, password="Sandi-Anggota-77")
    assert c.get(f"/api/v1/coops/ksu-sejahtera/members/{m.number}").json()["name"] == "Budi Santoso"
    assert c.get(f"/api/v1/coops/ksu-sejahtera/members/{world.member_a.number}").status_code == 404
