"""The public market (no login): the regency's catalogue of published products, product pages
with the producer member's share, order inquiries (throttled, honeypot; text escaped by the
templates) with a wa.me link, cooperative profiles, the sitemap, and the media files."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST
from django.views.static import serve

from kopdig.health import selectors as health_selectors
from kopdig.lib.errors import DomainError
from kopdig.tenancy.access import public_view
from kopdig.usaha import actions as usaha_actions
from kopdig.usaha import selectors as usaha
from kopdig.usaha.models import Category

PER_PAGE = 24
THROTTLE = (5, 600)  # inquiries per client and window (seconds)


@public_view
@cache_page(60)
def catalogue(request):
    g = request.GET
    qs = usaha.market_products(
        search=g.get("q", "").strip()[:80],
        category=g.get("kategori", ""),
        kecamatan=g.get("kecamatan", ""),
        coop=g.get("koperasi", ""),
    )
    page = Paginator(qs, PER_PAGE).get_page(g.get("page"))
    coops = usaha.selling_cooperatives()
    kecamatan = sorted({c.kecamatan for c, _n in coops if c.kecamatan}, key=lambda k: k.name)
    return render(
        request,
        "market/catalogue.html",
        {"page": page, "categories": Category.choices, "kecamatan": kecamatan, "coops": coops},
    )


def _wa_link(number: str, text: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}?text={quote(text)}" if digits else ""


@public_view
def product(request, slug, code):
    p = usaha.market_product(slug, code)
    if p is None:
        raise Http404
    profile = usaha.shop_profile(p.cooperative)
    text = _("Halo, saya ingin memesan %(name)s (%(url)s)") % {
        "name": p.name,
        "url": request.build_absolute_uri(reverse("market:product", args=[slug, code])),
    }
    return render(
        request,
        "market/product.html",
        {
            "p": p,
            "photos": list(p.photos.all()),
            "share": usaha.producer_share(p),
            "profile": profile,
            "wa": _wa_link(profile.whatsapp or p.cooperative.phone, text),
            "sent": request.GET.get("terkirim") == "1",
        },
    )


def _client_key(request) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    return "market-inquiry-" + hashlib.sha256(ip.encode()).hexdigest()[:24]


def _throttled(request) -> bool:
    key, (limit, window) = _client_key(request), THROTTLE
    count = cache.get(key, 0)
    if count >= limit:
        return True
    cache.set(key, count + 1, window)
    return False


@public_view
@require_POST
def inquiry(request, slug, code):
    p = usaha.market_product(slug, code)
    if p is None:
        raise Http404
    url = reverse("market:product", args=[slug, code])
    if request.POST.get("website"):  # the honeypot: people leave it empty
        return redirect(url + "?terkirim=1")
    if _throttled(request):
        return HttpResponse(_("Terlalu banyak pesanan dari perangkat ini. Coba lagi nanti."), status=429)
    try:
        usaha_actions.inquiry_submit(
            cooperative=p.cooperative,
            product_code=code,
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            message=request.POST.get("message", ""),
            quantity=request.POST.get("quantity", "1").replace(",", ".") or "1",
        )
    except DomainError as exc:
        return render(
            request,
            "market/product.html",
            {
                "p": p,
                "photos": list(p.photos.all()),
                "share": usaha.producer_share(p),
                "error": str(exc),
                "profile": usaha.shop_profile(p.cooperative),
                "data": request.POST,
            },
            status=422,
        )
    return redirect(url + "?terkirim=1")


@public_view
@cache_page(60)
def coop(request, slug):
    found = usaha.market_coop(slug)
    if found is None:
        raise Http404
    c, profile = found
    products = usaha.market_products(coop=slug)[:60]
    health = None
    if profile.show_health:  # the cooperative agreed: its last published examination's predicate
        health = health_selectors.examinations_of(c, published_only=True).exclude(predicate="").first()
    return render(
        request, "market/coop.html", {"c": c, "profile": profile, "products": products, "health": health}
    )


@public_view
@cache_page(600)
def sitemap(request):
    rows = usaha.market_sitemap()
    base = request.build_absolute_uri("/")[:-1]
    urls = [
        f"<url><loc>{base}{reverse('market:product', args=[s, c])}</loc><lastmod>{u.date().isoformat()}</lastmod></url>"
        for s, c, u in rows
    ]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}{reverse('market:catalogue')}</loc></url>" + "".join(urls) + "</urlset>"
    )
    return HttpResponse(body, content_type="application/xml")


# The only uploads that are public by nature: product photos, logos and the cooperative's photo.
# Everything else under MEDIA_ROOT (programme MoUs and evidence, Dinas import files) is served,
# if at all, by its own app's view after an access check.
PUBLIC_MEDIA = ("usaha/produk/", "usaha/logo/", "usaha/foto/")


@public_view
def media(request, path):
    """Uploaded product photos and logos (shown on the public market); any other path is a 404."""
    if not path.startswith(PUBLIC_MEDIA) or ".." in path.split("/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
