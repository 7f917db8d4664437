"""Menu and permissions agree, audit rows read in words, bad query strings and uploads are refused
without a 500, and the public pages carry what a shared link needs (Open Graph, wa.me, sitemap)
while exposing no private upload."""

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from kopdig.audit.labels import action_label, key_label
from kopdig.audit.models import AuditLog
from kopdig.tenancy import nav

from .. import actions
from ..models import Product, ProductPhoto

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = (".pdf", "format=pdf", "format=xlsx", "/produk/excel/", "/keluar/")


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def traded(shop):
    actions.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date.today(),
        supplier_name="UD",
        payment="kredit",
        lines=[{"product": "beras", "qty": 10, "unit_cost": "50000"}],
    )
    actions.sale_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date.today(),
        buyer_member="00001",
        payment="kredit",
        lines=[{"product": "beras", "qty": 1}],
    )
    actions.inquiry_submit(cooperative=shop.coop_a, product_code="keripik", name="Ani", phone="081234567890")
    return shop


def _walk(client, starts, prefixes, limit=60):
    """Open every link under ``prefixes`` reachable from ``starts``: {path: status}."""
    seen, queue = {}, list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0).replace("&amp;", "&")
        if path in seen or any(s in path for s in SKIP):
            continue
        resp = client.get(path)
        seen[path] = resp.status_code
        if resp.status_code == 200 and "html" in resp.get("Content-Type", ""):
            for link in HREF.findall(resp.content.decode()):
                if link.startswith(prefixes) and link not in seen:
                    queue.append(link)
    return seen


@pytest.mark.parametrize("role", ["pengurus", "manajer", "kasir", "pengawas", "anggota"])
def test_every_usaha_link_a_role_is_shown_opens(traded, role):
    user = getattr(traded, f"{role}_a")
    slug = traded.coop_a.slug
    shown = [
        reverse(i.url_name, args=[slug]) for i in nav.coop_items(role) if i.url_name.startswith("usaha:")
    ]
    assert shown, role
    seen = _walk(login(user), shown, (f"/k/{slug}/usaha/",))
    refused = {p: s for p, s in seen.items() if s != 200}
    assert refused == {}, (role, refused)
    if role in ("pengurus", "manajer", "kasir"):
        assert any("/kasir/" in p for p in seen) and any("/penjualan/" in p for p in seen)
    if role == "pengawas":
        assert not any("/kasir/" in p or "/pesanan/" in p for p in seen)


def test_every_usaha_link_the_dinas_is_shown_opens(traded):
    slug = traded.coop_a.slug
    seen = _walk(
        login(traded.dinas), ["/dinas/usaha/", f"/k/{slug}/usaha/"], (f"/k/{slug}/usaha/", "/dinas/usaha/")
    )
    assert {p: s for p, s in seen.items() if s != 200} == {}
    assert not any("/kasir/" in p or "/produk/baru/" in p for p in seen)


def test_audit_rows_of_the_business_unit_read_in_words(traded):
    actions.product_update(
        actor=traded.pengurus_a, cooperative=traded.coop_a, code="beras", price_member="61000"
    )
    for action in (
        AuditLog.objects.filter(cooperative=traded.coop_a).values_list("action", flat=True).distinct()
    ):
        label = action_label(action)
        assert label != action.replace("_", " ").capitalize(), action
    assert action_label("sale_record") == "Penjualan barang"
    assert key_label("payment", "usaha.Sale") == "cara bayar"
    assert key_label("price_member", "usaha.Product") == "harga anggota"
    page = login(traded.pengurus_a).get(f"/k/{traded.coop_a.slug}/audit/")
    body = page.content.decode()
    assert page.status_code == 200 and "Penjualan barang" in body and "Produk diubah" in body
    assert "Sale record" not in body and "price member" not in body and "harga anggota" in body


@pytest.mark.parametrize(
    "path",
    [
        "/k/ksu-sejahtera/usaha/laporan/?start=kemarin&end=2025-13-45&by=<script>",
        "/k/ksu-sejahtera/usaha/laporan/?start=0001-01-01",
        "/k/ksu-sejahtera/usaha/penjualan/?start=x&page=zzz&q=%00",
        "/k/ksu-sejahtera/usaha/produk/?kategori=entah&page=-1",
        "/k/ksu-sejahtera/usaha/pesanan/?status=entah%00",
        "/k/ksu-sejahtera/usaha/produk/?q=%00&kategori=%00",
    ],
)
def test_bad_query_strings_do_not_break_staff_pages(traded, path):
    assert login(traded.pengurus_a).get(path).status_code == 200


@pytest.mark.parametrize("query", ["?tahun=abc", "?tahun=99999", "?tahun=1800"])
def test_bad_year_on_the_dinas_page_falls_back_to_this_year(traded, query):
    resp = login(traded.dinas).get("/dinas/usaha/" + query)
    assert resp.status_code == 200 and resp.context["year"] == dt.date.today().year


@pytest.mark.parametrize(
    "query", ["?page=abc", "?kategori=%3Cxss%3E&kecamatan=x&koperasi=y&q=%3Cxss%3E%27%22"]
)
def test_bad_query_strings_on_the_public_market(traded, query):
    cache.clear()
    resp = Client().get("/pasar/" + query)
    assert resp.status_code == 200 and "<xss>" not in resp.content.decode()


def test_profile_with_an_unreadable_date_is_refused_and_nothing_changes(traded):
    c = login(traded.pengurus_a)
    resp = c.post(f"/k/{traded.coop_a.slug}/usaha/profil/", {"whatsapp": "0812", "last_rat_date": "besok"})
    assert resp.status_code == 200 and "Tanggal RAT terakhir" in resp.content.decode()
    assert not AuditLog.objects.filter(action="shop_profile_update").exists()


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["kode", "nama", "kategori", "harga_anggota", "harga_non_anggota", "berat_gram"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("katalog.xlsx", buf.getvalue())


def test_excel_import_with_one_bad_row_writes_nothing_and_says_which(shop):
    c = login(shop.pengurus_a)
    before = list(Product.objects.order_by("id").values_list("code", "price_member"))
    upload = _xlsx(
        [
            ["teh", "Teh Tubruk", "minuman", 5000, 6000, 100],
            ["kopi", "Kopi", "minuman", -1, 6000, None],
            ["beras", "Beras 5 kg", "sembako", 1, 1, "seratus"],
        ]
    )
    resp = c.post(f"/k/{shop.coop_a.slug}/usaha/produk/impor/", {"file": upload}, follow=True)
    body = resp.content.decode()
    assert "tidak ada yang disimpan" in body and "baris 3" in body and "baris 4" in body
    assert "berat_gram harus bilangan bulat" in body
    assert list(Product.objects.order_by("id").values_list("code", "price_member")) == before
    assert not AuditLog.objects.filter(
        action__in=["product_create", "product_update"], object_ref="teh"
    ).exists()


def test_photo_that_is_not_an_image_or_too_big_is_refused_with_a_message(shop, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    c, url = login(shop.pengurus_a), f"/k/{shop.coop_a.slug}/usaha/produk/keripik/foto/"
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    cases = [
        (b"%PDF-1.4 not an image", "bukan gambar"),
        (gif.getvalue(), "JPEG, PNG atau WebP"),
        (b"0" * (5 * 1024 * 1024 + 1), "5 MB"),
    ]
    for data, message in cases:
        resp = c.post(
            url, {"photo": SimpleUploadedFile("x.png", data, content_type="image/png")}, follow=True
        )
        assert message in resp.content.decode()
    assert not ProductPhoto.objects.exists() and not list(tmp_path.rglob("*.jpg"))


def test_shared_product_link_has_open_graph_and_whatsapp(shop, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 60)).save(buf, "PNG")
    from ..images import prepare

    actions.product_photo_add(
        actor=shop.pengurus_a,
        cooperative=shop.coop_a,
        code="keripik",
        image=prepare(SimpleUploadedFile("k.png", buf.getvalue()), "keripik"),
    )
    actions.shop_profile_update(actor=shop.pengurus_a, cooperative=shop.coop_a, whatsapp="0812-3450-0123")
    cache.clear()
    body = Client().get(f"/pasar/{shop.coop_a.slug}/keripik/").content.decode()
    assert '<meta property="og:title" content="Keripik Kentang · Rp 18.000,00">' in body
    assert f'<meta property="og:url" content="http://testserver/pasar/{shop.coop_a.slug}/keripik/">' in body
    image = re.search(r'<meta property="og:image" content="([^"]+)"', body).group(1)
    assert image.startswith("http://testserver/media/usaha/produk/")
    assert Client().get(image.removeprefix("http://testserver")).status_code == 200
    wa = re.search(r'href="(https://wa\.me/[^"]+)"', body).group(1)
    assert wa.startswith(
        "https://wa.me/6281234500123?text=Halo%2C%20saya%20ingin%20memesan%20Keripik%20Kentang"
    )
    sitemap = Client().get("/pasar/sitemap.xml").content.decode()
    assert f"/pasar/{shop.coop_a.slug}/keripik/</loc>" in sitemap and "/beras/" not in sitemap


def test_media_serves_only_the_public_photos(shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for rel in ("program/mou/2025/mou.pdf", "dinas-impor/1-abc.xlsx", "usaha/produk/x.jpg"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"data")
    c = Client()
    assert c.get("/media/usaha/produk/x.jpg").status_code == 200
    assert c.get("/media/program/mou/2025/mou.pdf").status_code == 404
    assert c.get("/media/dinas-impor/1-abc.xlsx").status_code == 404
    assert c.get("/media/usaha/produk/../../program/mou/2025/mou.pdf").status_code == 404


def test_profile_update_is_audited_in_words(shop):
    actions.shop_profile_update(
        actor=shop.pengurus_a, cooperative=shop.coop_a, whatsapp="0812", story="Cerita"
    )
    row = AuditLog.objects.get(action="shop_profile_update")
    assert row.summary == "cerita koperasi, no. WhatsApp"


def test_profile_shows_the_health_predicate_only_with_consent(shop):
    from kopdig.health import models as health_models
    from kopdig.health.models import Examination, Rubric
    from kopdig.health.rubrics import shipped_rubrics, write_rubric

    if not Rubric.objects.exists():
        for data in shipped_rubrics():
            write_rubric(health_models, data)
    exam = dict(
        cooperative=shop.coop_a,
        rubric=Rubric.objects.first(),
        figures_source="reported",
        examiner=shop.dinas,
        total="80.00",
    )
    Examination.objects.create(year=2024, status="published", predicate="sehat", **exam)
    Examination.objects.create(year=2025, status="approved", predicate="dalam_pengawasan", **exam)
    url = f"/pasar/{shop.coop_a.slug}/"
    cache.clear()
    assert 'data-testid="coop-health"' not in Client().get(url).content.decode()
    actions.shop_profile_update(actor=shop.pengurus_a, cooperative=shop.coop_a, show_health=True)
    cache.clear()
    body = Client().get(url).content.decode()
    assert "tahun buku 2024): Sehat" in body and "Dalam Pengawasan" not in body
