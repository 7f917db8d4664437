"""Role and tenancy checks over EVERY page and endpoint, discovered from the URL conf and the
OpenAPI schema, so a new view cannot forget them."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _fill(route, slug):
    route = route.replace("<slug:slug>", slug)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def coop_routes():
    return sorted({r for r, cb in _walk(get_resolver().url_patterns) if r.startswith("k/<slug:slug>/")})


def test_outsider_gets_404_on_every_coop_page(world):
    c = Client()
    c.force_login(world.pengurus_b)
    failures = []
    for route in coop_routes():
        for method in ("get", "post"):
            resp = getattr(c, method)(_fill(route, world.coop_a.slug))
            if resp.status_code != 404:
                failures.append((method, route, resp.status_code))
    assert failures == []


def test_anonymous_is_sent_to_login_everywhere(world):
    c = Client()
    for route in coop_routes():
        resp = c.get(_fill(route, world.coop_a.slug))
        assert resp.status_code == 302 and "/masuk/" in resp["Location"], route


def test_anggota_only_reaches_member_pages(world):
    """An anggota gets 403 on every staff page of their own cooperative (member pages allow it)."""
    c = Client()
    c.force_login(world.anggota_a)
    callbacks = dict(_walk(get_resolver().url_patterns))
    for route in coop_routes():
        roles = getattr(callbacks[route], "kopdig_roles", None)
        if roles is not None and "anggota" not in roles:
            assert c.get(_fill(route, world.coop_a.slug)).status_code == 403, route


def test_dinas_never_writes_cooperative_pages(world):
    """POST to any cooperative page as a Dinas officer is refused (403) — Dinas only reads."""
    c = Client()
    c.force_login(world.dinas)
    for route in coop_routes():
        resp = c.post(_fill(route, world.coop_a.slug))
        assert resp.status_code in (403, 404, 405), (route, resp.status_code)


def _api_paths(client):
    schema = client.get("/api/v1/openapi.json").json()
    return schema["paths"]


def test_every_api_operation_requires_a_token(world):
    c = Client()
    for path, ops in _api_paths(c).items():
        url = re.sub(r"\{slug\}", world.coop_a.slug, path)
        url = re.sub(r"\{[^}]+\}", _param, url)
        for method, op in ops.items():
            if "security" not in op:  # public by design: the token exchange, the market, certificate checks
                continue
            resp = getattr(c, method)(url, content_type="application/json") if method != "get" else c.get(url)
            assert resp.status_code == 401, (method, path, resp.status_code)


def _param(match) -> str:
    """A valid value for a path parameter (a year must lie in 1900..next year)."""
    return "2025" if match.group(0) == "{year}" else "1"


@pytest.fixture
def coop_a_objects(world):
    """Real objects of cooperative A to name in API paths: a member, a savings account, a loan and
    an SHU year, each through its action."""
    import datetime as dt
    from decimal import Decimal

    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.posting import Line
    from kopdig.loans.actions import loan_apply, loan_product_save
    from kopdig.savings.actions import savings_account_open, savings_products_setup
    from kopdig.shu.actions import shu_year_save
    from kopdig.usaha.actions import product_create

    coop, kasir, pengurus = world.coop_a, world.kasir_a, world.pengurus_a
    day = dt.date.today() - dt.timedelta(days=5)
    savings_products_setup(actor=pengurus, cooperative=coop)
    account = savings_account_open(
        actor=kasir, cooperative=coop, member_number=world.member_a.number, product_code="sukarela", date=day
    )
    product = loan_product_save(
        actor=pengurus,
        cooperative=coop,
        code="REG",
        name="Pinjaman Reguler",
        method="flat",
        rate_percent=Decimal("1.5"),
        min_term=1,
        max_term=36,
        max_amount=Decimal("100000000"),
        provisi_kind="persen",
        provisi_value=Decimal("1"),
        admin_kind="tetap",
        admin_value=Decimal("50000"),
    )
    loan = loan_apply(
        actor=kasir,
        cooperative=coop,
        member=world.member_a,
        product=product,
        principal=Decimal("2000000"),
        term=4,
        purpose="Modal",
        applied_on=day,
    )
    year = day.year - 1
    shu_year_save(actor=pengurus, cooperative=coop, year=year)
    entry = journal_entry_post(
        actor=pengurus,
        cooperative=coop,
        date=day,
        memo="Setoran modal",
        lines=[
            Line("kas", debit=Decimal("500000")),
            Line("pendapatan_jasa_pinjaman", credit=Decimal("500000")),
        ],
    )
    product_create(
        actor=pengurus,
        cooperative=coop,
        code="beras",
        name="Beras 5 kg",
        price_member="60000",
        price_non_member="65000",
    )
    return {
        "/members/{number}": world.member_a.number,
        "/savings/accounts/{number}": account.number,
        "/loans/{number}": loan.number,
        "/shu/{year}": str(year),
        "/products/{code}": "beras",
        # web pages (kopdig/*/urls.py), by the route before the parameter
        "anggota/<str:number>": world.member_a.number,
        "simpanan/anggota/<str:number>": world.member_a.number,
        "simpanan/rekening/<str:number>": account.number,
        "simpanan/produk/<slug:code>": "sukarela",
        "pinjaman/<str:number>": loan.number,
        "pinjaman/produk/<str:code>": "REG",
        "buku/jurnal/<str:number>": entry.number,
        "shu/<int:year>": str(year),
        "usaha/produk/<slug:code>": "beras",
    }


def _real_url(path, slug, objects):
    """The path with coop A's real identifiers, or None when no object of that kind is known."""
    url = path.replace("{slug}", slug)
    for pattern, value in sorted(objects.items(), key=lambda kv: -len(kv[0])):
        if pattern in url:
            url = url.replace(pattern, pattern.split("/{")[0] + "/" + value, 1)
            break
    return None if "{" in url else url


def _query(ops):
    required = [p for p in ops["get"].get("parameters", []) if p.get("required") and p["in"] == "query"]
    return {
        p["name"]: "2025-01-01" if "date" in p["name"] or p["name"] in ("start", "end") else "1"
        for p in required
    }


def test_outsider_gets_404_on_every_coop_api_read(world, api_client, coop_a_objects):
    """Cooperative B's pengurus asks for cooperative A's REAL objects (the same URLs answer 200 to
    A's own pengurus, so a 404 proves isolation, not a missing row)."""
    own = type(api_client)().as_user(world.pengurus_a)
    api_client.as_user(world.pengurus_b)
    checked, unknown = [], []
    for path, ops in _api_paths(api_client).items():
        if "{slug}" not in path or "get" not in ops or path.startswith("/api/v1/dinas/"):
            continue  # Dinas paths answer 403 to non-Dinas users before any lookup
        url = _real_url(path, world.coop_a.slug, coop_a_objects)
        if url is None:
            unknown.append(path)  # objects this fixture does not build (RAT, usaha, health, SHU shares)
            url = path.replace("{slug}", world.coop_a.slug).replace("{year}", coop_a_objects["/shu/{year}"])
            url = re.sub(r"\{[^}]+\}", "1", url)
        else:
            assert own.get(url, _query(ops)).status_code == 200, (path, "not a real object of cooperative A")
            checked.append(path)
        resp = api_client.get(url, _query(ops))
        assert resp.status_code == 404, (path, resp.status_code, resp.content[:200])
    assert len(checked) >= 10 and "/api/v1/coops/{slug}/loans/{number}" in checked, checked


def _real_page(route, slug, objects):
    """The page's URL with coop A's real identifiers, or None when a parameter has no known value."""
    url = route.replace("<slug:slug>", slug)
    for pattern, value in sorted(objects.items(), key=lambda kv: -len(kv[0])):
        if "<" in pattern and url.startswith(f"k/{slug}/{pattern}"):
            url = url.replace(pattern, pattern.rsplit("/", 1)[0] + "/" + value, 1)
            break
    return None if "<" in url else "/" + url


def test_outsider_gets_404_on_every_coop_page_with_real_identifiers(world, coop_a_objects):
    """Cooperative B's pengurus opens cooperative A's pages of REAL objects (member, account, loan,
    journal entry, SHU year, loan and savings products, a usaha product): each answers 200 to A's own pengurus and 404
    to B's, so the 404 proves isolation, not a missing row."""
    own, outsider = Client(), Client()
    own.force_login(world.pengurus_a)
    outsider.force_login(world.pengurus_b)
    checked, failures = [], []
    for route in coop_routes():
        if "<" not in route.replace("<slug:slug>", ""):
            continue
        url = _real_page(route, world.coop_a.slug, coop_a_objects)
        if url is None or own.get(url).status_code != 200:
            continue  # an object this fixture does not build, or a POST-only action
        checked.append(route)
        for method in ("get", "post"):
            status = getattr(outsider, method)(url).status_code
            if status != 404:
                failures.append((method, route, status))
    assert failures == []
    assert len(checked) >= 15 and "k/<slug:slug>/usaha/produk/<slug:code>/" in checked, checked
