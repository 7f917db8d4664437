import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from PIL import Image

from .. import actions
from ..models import Inquiry, Product, ProductPhoto, Sale

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def stocked(shop):
    actions.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date.today(),
        supplier_name="UD",
        lines=[{"product": "beras", "qty": 10, "unit_cost": "50000"}],
    )
    return shop


def test_staff_pages_render(stocked, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    c, slug = login(stocked.pengurus_a), stocked.coop_a.slug
    for path in (
        "",
        "kasir/",
        "produk/",
        "produk/baru/",
        "produk/beras/",
        "produk/beras/ubah/",
        "penjualan/",
        "pembelian/",
        "stok-opname/",
        "titip-jual/",
        "laporan/",
        "laporan/?by=month",
        "pesanan/",
        "profil/",
    ):
        assert c.get(f"/k/{slug}/usaha/{path}").status_code == 200, path
    assert c.get(f"/k/{slug}/usaha/produk/excel/")["Content-Type"].startswith("application/vnd.openxml")
    assert c.get(f"/k/{slug}/usaha/laporan/?format=xlsx").status_code == 200


def test_pos_sale_and_nota(stocked):
    c, slug = login(stocked.kasir_a), stocked.coop_a.slug
    resp = c.post(
        f"/k/{slug}/usaha/kasir/",
        {
            "product": ["beras Beras 5 kg", ""],
            "qty": ["2", ""],
            "member": "00001",
            "payment": "tunai",
            "discount": "0",
        },
    )
    sale = Sale.objects.get(cooperative=stocked.coop_a)
    assert resp.status_code == 302 and sale.total == Decimal("120000.00")
    page = c.get(f"/k/{slug}/usaha/penjualan/{sale.number}/")
    assert "seratus dua puluh ribu rupiah" in page.content.decode().lower()
    pdf = c.get(f"/k/{slug}/usaha/penjualan/{sale.number}/nota.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_pos_refusal_shows_message_and_writes_nothing(stocked):
    c, slug = login(stocked.kasir_a), stocked.coop_a.slug
    resp = c.post(f"/k/{slug}/usaha/kasir/", {"product": ["beras"], "qty": ["11"], "payment": "tunai"})
    assert resp.status_code == 200 and "tidak cukup" in resp.content.decode()
    assert not Sale.objects.exists()


def test_roles_and_outsiders(stocked):
    slug = stocked.coop_a.slug
    assert login(stocked.anggota_a).get(f"/k/{slug}/usaha/kasir/").status_code == 403
    assert login(stocked.anggota_a).get(f"/k/{slug}/usaha/saya/").status_code == 200
    assert login(stocked.pengurus_b).get(f"/k/{slug}/usaha/").status_code == 404
    assert login(stocked.dinas).get(f"/k/{slug}/usaha/laporan/").status_code == 200
    assert login(stocked.dinas).post(f"/k/{slug}/usaha/kasir/", {}).status_code == 403
    assert login(stocked.kasir_a).get(f"/k/{slug}/usaha/profil/").status_code == 403


def _png(size=(2400, 1200)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


def test_photo_upload_resized_and_bad_files_refused(shop, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    c, slug = login(shop.pengurus_a), shop.coop_a.slug
    url = f"/k/{slug}/usaha/produk/keripik/foto/"
    c.post(url, {"photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")})
    assert not ProductPhoto.objects.exists()
    c.post(
        url, {"photo": SimpleUploadedFile("big.png", b"0" * (5 * 1024 * 1024 + 1), content_type="image/png")}
    )
    assert not ProductPhoto.objects.exists()
    c.post(url, {"photo": SimpleUploadedFile("k.png", _png(), content_type="image/png")})
    photo = ProductPhoto.objects.get()
    with Image.open(photo.image.path) as im:
        assert im.format == "JPEG" and max(im.size) == 1200


def test_import_from_excel(shop):
    wb = Workbook()
    ws = wb.active
    ws.append(["kode", "nama", "kategori", "harga_anggota", "harga_non_anggota"])
    ws.append(["teh", "Teh Tubruk", "minuman", 5000, 6000])
    buf = io.BytesIO()
    wb.save(buf)
    c = login(shop.pengurus_a)
    c.post(
        f"/k/{shop.coop_a.slug}/usaha/produk/impor/", {"file": SimpleUploadedFile("k.xlsx", buf.getvalue())}
    )
    assert Product.objects.get(cooperative=shop.coop_a, code="teh").price_non_member == Decimal("6000.00")


def test_market_hides_unpublished_and_takes_inquiries(shop):
    cache.clear()
    c = Client()
    actions.product_update(actor=shop.pengurus_a, cooperative=shop.coop_a, code="beras", published=False)
    page = c.get("/pasar/").content.decode()
    assert "Keripik Kentang" in page and "Beras 5 kg" not in page
    assert c.get(f"/pasar/{shop.coop_a.slug}/beras/").status_code == 404
    prod = c.get(f"/pasar/{shop.coop_a.slug}/keripik/")
    body = prod.content.decode()
    assert 'property="og:title"' in body and "Bu Sri" in body and "Rp 14.400,00" in body  # 80% of 18.000
    assert "3513154101900002" not in body  # no NIK
    url = f"/pasar/{shop.coop_a.slug}/keripik/pesan/"
    c.post(url, {"name": "Bot", "phone": "08123456789", "website": "http://spam"})
    assert not Inquiry.objects.exists()
    resp = c.post(
        url, {"name": "<script>x</script>", "phone": "081234567890", "quantity": "3", "message": "<b>hi</b>"}
    )
    assert resp.status_code == 302
    inq = Inquiry.objects.get()
    assert inq.quantity == 3 and inq.product.code == "keripik"
    inbox = login(shop.kasir_a).get(f"/k/{shop.coop_a.slug}/usaha/pesanan/").content.decode()
    assert "&lt;script&gt;" in inbox and "<script>x" not in inbox
    for _ in range(5):
        resp = c.post(url, {"name": "Ani", "phone": "081234567890"})
    assert resp.status_code == 429 and Inquiry.objects.count() == 5
    assert c.get(f"/pasar/{shop.coop_a.slug}/").status_code == 200
    assert b"keripik" in c.get("/pasar/sitemap.xml").content


def test_dinas_turnover_page_reads_the_books(stocked):
    actions.sale_record(
        actor=stocked.kasir_a,
        cooperative=stocked.coop_a,
        date=dt.date.today(),
        lines=[{"product": "beras", "qty": 2}],
    )
    resp = login(stocked.dinas).get("/dinas/usaha/")
    assert resp.status_code == 200 and resp.context["t"]["total"] == Decimal("130000.00")
    assert "Kraksaan" in resp.content.decode()
    assert login(stocked.pengurus_a).get("/dinas/usaha/").status_code == 403


def test_list_pages_query_count_does_not_grow(stocked, django_assert_max_num_queries):
    for i in range(30):
        actions.product_create(
            actor=stocked.pengurus_a,
            cooperative=stocked.coop_a,
            code=f"x{i}",
            name=f"X {i}",
            price_member=1000,
            price_non_member=1200,
            published=True,
            producer="00002",
        )
    cache.clear()
    c = login(stocked.pengurus_a)
    with django_assert_max_num_queries(15):
        assert c.get(f"/k/{stocked.coop_a.slug}/usaha/produk/").status_code == 200
    with django_assert_max_num_queries(12):
        assert Client().get("/pasar/").status_code == 200


def test_pages_in_english(stocked):
    c = login(stocked.kasir_a)
    c.cookies["django_language"] = "en"
    assert "Save sale" in c.get(f"/k/{stocked.coop_a.slug}/usaha/kasir/").content.decode()
