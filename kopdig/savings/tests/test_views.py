import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kopdig.savings import actions
from kopdig.savings.models import Receipt, SavingsAccount

from .conftest import nik
from .helpers import assert_books_ok, counts

pytestmark = pytest.mark.django_db
D = Decimal
SLUG = "ksu-sejahtera"


@pytest.fixture
def data(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="500000",
        date=dt.date(2025, 1, 3),
    )
    return m, number


def test_teller_double_submit_posts_once(world, data, client):
    m, number = data
    client.force_login(world.kasir_a)
    url = reverse("savings:teller_member", args=[SLUG, m.number])
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"].initial["token"]
    form = {
        "account": number,
        "type": "withdrawal",
        "amount": "100000",
        "date": "2025-01-10",
        "memo": "",
        "token": token,
    }
    confirm = client.post(url, form)
    assert confirm.status_code == 200 and confirm.context["confirm"]["amount"] == D("100000")
    assert SavingsAccount.objects.get(number=number).balance == D("500000.00")  # nothing posted yet
    r1 = client.post(url, {**form, "confirm": "1"})
    r2 = client.post(url, {**form, "confirm": "1"})
    assert r1.status_code == 302 and r1["Location"] == r2["Location"]
    assert SavingsAccount.objects.get(number=number).balance == D("400000.00")
    assert Receipt.objects.filter(cooperative=world.coop_a, type="penarikan").count() == 1
    receipt = client.get(r1["Location"])
    assert "Seratus ribu rupiah" in receipt.content.decode()
    assert_books_ok(world.coop_a)


def test_teller_refusal_shows_error(world, data, client):
    m, number = data
    client.force_login(world.kasir_a)
    url = reverse("savings:teller_member", args=[SLUG, m.number])
    before = counts(world.coop_a)
    r = client.post(
        url,
        {
            "account": number,
            "type": "withdrawal",
            "amount": "999999",
            "date": "2025-01-10",
            "token": "t-1",
            "confirm": "1",
        },
    )
    assert r.status_code == 200 and "Saldo tidak cukup" in r.content.decode()
    assert counts(world.coop_a) == before


def test_member_search_htmx(world, data, client):
    client.force_login(world.kasir_a)
    r = client.get(reverse("members:search", args=[SLUG]), {"q": "budi"}, headers={"HX-Request": "true"})
    assert "Budi Santoso" in r.content.decode()


def test_pages_render(world, data, client):
    m, number = data
    r = Receipt.objects.filter(cooperative=world.coop_a).first()
    client.force_login(world.pengurus_a)
    urls = [
        reverse("members:list", args=[SLUG]),
        reverse("members:list", args=[SLUG]) + "?q=budi&status=aktif",
        reverse("members:admit", args=[SLUG]),
        reverse("members:import", args=[SLUG]),
        reverse("members:detail", args=[SLUG, m.number]),
        reverse("members:edit", args=[SLUG, m.number]),
        reverse("members:exit", args=[SLUG, m.number]),
        reverse("savings:teller", args=[SLUG]),
        reverse("savings:teller_member", args=[SLUG, m.number]),
        reverse("savings:receipt", args=[SLUG, r.number]),
        reverse("savings:passbook", args=[SLUG, number]),
        reverse("savings:products", args=[SLUG]),
        reverse("savings:product_edit", args=[SLUG, "sukarela"]),
        reverse("savings:product_edit", args=[SLUG, "wajib"]),
        reverse("savings:runs", args=[SLUG]),
        reverse("savings:payroll", args=[SLUG]),
        reverse("coop_home", args=[SLUG]),
    ] + [
        reverse("savings:reports", args=[SLUG]) + f"?tab={t}"
        for t in ("produk", "anggota", "tunggakan", "kas")
    ]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
    xlsx = client.get(reverse("members:list", args=[SLUG]) + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    home = client.get(reverse("coop_home", args=[SLUG])).content.decode()
    assert "Anggota dan simpanan" in home


def test_pdfs(world, data, client):
    m, number = data
    r = Receipt.objects.filter(cooperative=world.coop_a).first()
    client.force_login(world.kasir_a)
    for url in (
        reverse("savings:receipt", args=[SLUG, r.number]) + "?pdf=1",
        reverse("savings:passbook", args=[SLUG, number]) + "?pdf=1",
        reverse("members:card", args=[SLUG, m.number]),
    ):
        resp = client.get(url)
        assert (
            resp.status_code == 200
            and resp["Content-Type"] == "application/pdf"
            and resp.content[:4] == b"%PDF"
        ), url


def test_other_cooperative_pages_404(world, data, client):
    m, number = data
    client.force_login(world.pengurus_b)
    for url in (
        reverse("members:list", args=[SLUG]),
        reverse("members:detail", args=[SLUG, m.number]),
        reverse("savings:passbook", args=[SLUG, number]),
        reverse("members:detail", args=["ksp-maju-jaya", m.number]),
        reverse("savings:passbook", args=["ksp-maju-jaya", number]),
    ):
        assert client.get(url).status_code == 404, url


def test_dinas_reads_but_cannot_write(world, data, client):
    m, number = data
    client.force_login(world.dinas)
    assert client.get(reverse("members:list", args=[SLUG])).status_code == 200
    before = counts(world.coop_a)
    r = client.post(
        reverse("members:admit", args=[SLUG]),
        {
            "nik": nik(7),
            "name": "X",
            "gender": "L",
            "joined_on": "2025-01-02",
            "status": "aktif",
            "token": "x",
        },
    )
    assert r.status_code == 403
    r = client.post(
        reverse("savings:teller_member", args=[SLUG, m.number]),
        {
            "account": number,
            "type": "deposit",
            "amount": "1000",
            "date": "2025-01-10",
            "token": "y",
            "confirm": "1",
        },
    )
    assert r.status_code == 403
    assert counts(world.coop_a) == before
    client.force_login(world.dinas_other)
    assert client.get(reverse("members:list", args=[SLUG])).status_code == 404


def test_anggota_sees_only_own(world, data, client):
    from kopdig.savings.actions import savings_account_open

    m, number = data
    own = savings_account_open(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member_number=world.member_a.number,
        product_code="sukarela",
        date=dt.date(2025, 1, 2),
    )
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=own.number,
        amount="20000",
        date=dt.date(2025, 1, 3),
    )
    client.force_login(world.anggota_a)
    mine = client.get(reverse("savings:mine", args=[SLUG]))
    assert (
        mine.status_code == 200
        and own.number in mine.content.decode()
        and number not in mine.content.decode()
    )
    assert client.get(reverse("savings:passbook", args=[SLUG, own.number])).status_code == 200
    assert client.get(reverse("savings:passbook", args=[SLUG, number])).status_code == 404
    assert client.get(reverse("members:detail", args=[SLUG, m.number])).status_code == 404
    assert client.get(reverse("members:detail", args=[SLUG, world.member_a.number])).status_code == 200
    other_receipt = Receipt.objects.filter(member=m).first()
    assert client.get(reverse("savings:receipt", args=[SLUG, other_receipt.number])).status_code == 404
    assert client.get(reverse("members:list", args=[SLUG])).status_code == 403
    assert client.get(reverse("savings:teller", args=[SLUG])).status_code == 403
    home = client.get(reverse("member_home", args=[SLUG])).content.decode()
    assert "Rp 20.000,00" in home


def test_admit_form_double_submit(world, client):
    from kopdig.members.models import Member
    from kopdig.savings._postings import ensure_products

    ensure_products(world.coop_a)
    client.force_login(world.kasir_a)
    url = reverse("members:admit", args=[SLUG])
    form = {
        "nik": nik(3, "P"),
        "name": "Sri Wahyuni",
        "gender": "P",
        "joined_on": "2025-01-02",
        "status": "aktif",
        "token": "tok-1",
        "phone": "081234567890",
    }
    r1 = client.post(url, form)
    r2 = client.post(url, form)
    assert r1.status_code == 302 and r1["Location"] == r2["Location"]
    assert Member.objects.filter(cooperative=world.coop_a, name="Sri Wahyuni").count() == 1
    bad = client.post(url, {**form, "nik": "3513145205850000", "token": "tok-2"})
    assert bad.status_code == 200 and "NIK" in bad.content.decode()


def test_run_page_enqueues_task(world, data, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django_tasks import default_task_backend  # noqa: F401  (backend picked up from settings)

    from kopdig.savings.models import Due, Run

    client.force_login(world.pengurus_a)
    r = client.post(reverse("savings:runs", args=[SLUG]), {"kind": "billing", "period": "2025-02"})
    assert r.status_code == 302
    run = Run.objects.get(cooperative=world.coop_a, kind="billing")
    assert run.status == "done" and Due.objects.filter(cooperative=world.coop_a).count() == 2
    client.force_login(world.kasir_a)
    assert (
        client.post(
            reverse("savings:runs", args=[SLUG]), {"kind": "billing", "period": "2025-03"}
        ).status_code
        == 403
    )


def test_member_login_page_shows_username(world, data, client):
    m, _ = data
    client.force_login(world.kasir_a)
    r = client.post(
        reverse("members:login", args=[SLUG, m.number]),
        {"password1": "Rahasia-Anggota-1", "password2": "Rahasia-Anggota-1"},
    )
    assert r.status_code == 302
    page = client.get(reverse("members:detail", args=[SLUG, m.number])).content.decode()
    assert "ksu-sejahtera-00002" in page


def test_time_deposit_break_page(world, admit, client):
    from django.utils import timezone

    from kopdig.savings._postings import ensure_products

    ensure_products(world.coop_a)
    m = admit()
    actions.savings_time_deposit_open(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member_number=m.number,
        product_code="berjangka-12",
        amount="1000000",
        date=timezone.localdate() - dt.timedelta(days=10),
    )
    acc = SavingsAccount.objects.get(member=m, kind="berjangka")
    client.force_login(world.kasir_a)
    assert client.post(reverse("savings:time_deposit_break", args=[SLUG, acc.number])).status_code == 403
    client.force_login(world.manajer_a)
    page = client.get(reverse("savings:passbook", args=[SLUG, acc.number])).content.decode()
    assert "Cairkan sebelum jatuh tempo" in page
    r = client.post(reverse("savings:time_deposit_break", args=[SLUG, acc.number]))
    assert r.status_code == 302
    acc.refresh_from_db()
    receipt = Receipt.objects.filter(cooperative=world.coop_a, type="penarikan").get()
    assert acc.status == "ditutup" and receipt.amount == D("990000.00")  # 1% penalty
    assert_books_ok(world.coop_a)


def test_member_import_page(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kopdig.lib.documents import xlsx_bytes
    from kopdig.lib.nik import make_nik
    from kopdig.members.actions import IMPORT_COLUMNS
    from kopdig.members.models import Member

    good = [
        make_nik("35.13.14", dt.date(1980, 1, 5), "L", 21),
        "Ahmad Fauzi",
        "L",
        "",
        "",
        "",
        "Kraksaan",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    bad = ["123", "Salah", "L", "", "", "", "", "", "", "", "", "", "", ""]
    client.force_login(world.kasir_a)
    url = reverse("members:import", args=[SLUG])

    def upload(rows):
        f = SimpleUploadedFile("a.xlsx", xlsx_bytes([("Anggota", IMPORT_COLUMNS, rows)]))
        return client.post(url, {"file": f, "joined_on": "2025-01-02", "pay_pokok": "on"})

    r = upload([good, bad])
    assert r.status_code == 200 and r.context["errors"][0][0] == 3
    assert Member.objects.filter(cooperative=world.coop_a).count() == 1
    r = upload([good])
    assert r.status_code == 302
    assert Member.objects.filter(cooperative=world.coop_a, name="Ahmad Fauzi").exists()
    assert_books_ok(world.coop_a)


def test_list_pages_query_count(world, admit, client, django_assert_max_num_queries):
    for i in range(2, 12):
        admit(name=f"Anggota {i}", n=i)
    client.force_login(world.pengurus_a)
    for url in (
        reverse("members:list", args=[SLUG]),
        reverse("savings:reports", args=[SLUG]) + "?tab=anggota",
        reverse("savings:reports", args=[SLUG]) + "?tab=tunggakan",
    ):
        with django_assert_max_num_queries(15):
            resp = client.get(url)
        assert resp.status_code == 200, url
        assert "tunggakan" in url or "Anggota 11" in resp.content.decode(), url


def test_savings_run_command(world, admit):
    from django.core.management import call_command

    from kopdig.savings.models import Due

    admit()
    call_command("savings_run", "billing", "--period", "2025-02", "--coop", SLUG)
    call_command("savings_run", "billing", "--period", "2025-02", "--coop", SLUG)
    assert Due.objects.filter(cooperative=world.coop_a, period=dt.date(2025, 2, 1)).count() == 2


def test_pages_in_english(world, data, client):
    from django.conf import settings as dj

    client.force_login(world.kasir_a)
    client.cookies[dj.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("savings:teller", args=[SLUG])).content.decode()
    assert "Savings teller" in page and "Find member" in page
    page = client.get(reverse("members:list", args=[SLUG])).content.decode()
    assert "New member" in page


def test_payroll_page(world, admit, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kopdig.lib.documents import xlsx_bytes

    m1, m2 = admit(), admit(name="Sri", n=2, gender="P")
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 3, 1)
    )
    client.force_login(world.kasir_a)
    url = reverse("savings:payroll", args=[SLUG])

    def upload(rows, token):
        f = SimpleUploadedFile("p.xlsx", xlsx_bytes([("Potong gaji", ["no_anggota", "jumlah"], rows)]))
        return client.post(
            url,
            {
                "file": f,
                "employer": "PT Kertas",
                "date": "2025-03-25",
                "cash_account": "bank",
                "token": token,
            },
        )

    before = counts(world.coop_a)
    r = upload([[m1.number, 25000], ["99999", 25000]], "p-1")
    assert r.status_code == 200 and r.context["errors"] == [(3, "No. anggota '99999' tidak ditemukan.")]
    assert counts(world.coop_a) == before
    r = upload([[m1.number, 25000], [m2.number, 25000]], "p-2")
    assert r.status_code == 302
    receipt = Receipt.objects.get(cooperative=world.coop_a, type="potong_gaji")
    assert receipt.amount == D("50000.00") and receipt.transactions.count() == 2
    assert_books_ok(world.coop_a)


def test_teller_defaults_to_the_account_the_member_uses(world, admit, sukarela, client):
    """Issue 14 item 6: never simpanan pokok; sukarela for a new member, else the most used account."""
    m = admit(name="Rina Wati", n=31)
    ss = sukarela(m)
    sw = SavingsAccount.objects.get(cooperative=world.coop_a, member=m, kind="wajib").number
    client.force_login(world.kasir_a)
    url = reverse("savings:teller_member", args=[SLUG, m.number])
    assert client.get(url).context["form"]["account"].value() == ss
    for _ in range(2):
        actions.savings_deposit(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            account=sw,
            amount=Decimal("25000"),
            date=dt.date(2025, 2, 1),
        )
    page = client.get(url)
    assert page.context["form"]["account"].value() == sw
    assert "Simpanan Wajib · Rp 50.000,00" in page.content.decode()  # product and balance first in the choice


def test_receipt_shows_account_product_and_balance_after(world, admit, sukarela, client):
    m = admit(name="Dedi", n=32)
    ss = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=ss,
        amount=Decimal("100000"),
        date=dt.date(2025, 2, 1),
    )
    second = actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=ss,
        amount=Decimal("40000"),
        date=dt.date(2025, 2, 3),
    )
    client.force_login(world.kasir_a)
    resp = client.get(reverse("savings:receipt", args=[SLUG, second.number]))
    (line,) = resp.context["lines"]
    assert (line.account.number, line.amount, line.balance_after) == (
        ss,
        Decimal("40000.00"),
        Decimal("140000.00"),
    )
    page = resp.content.decode()
    assert ss in page and "Rp 140.000,00" in page and line.account.product.name in page
