"""The network pages speak English when the user picks English (the language cookie)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(user, language):
    c = Client()
    c.force_login(user)
    if language:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return c


def test_cooperative_network_page_in_english(world):
    url = reverse("network:coop_home", kwargs={"slug": world.coop_a.slug})
    html = _client(world.pengurus_a, "en").get(url).content.decode()
    for text in ("Business network", "Our offers and needs", "Add an offer or a need", "Quantity per month"):
        assert text in html
    assert "Penawaran dan kebutuhan kami" not in html and "Terbitkan" not in html

    html = _client(world.pengurus_a, None).get(url).content.decode()
    assert "Penawaran dan kebutuhan kami" in html and "Our offers and needs" not in html


def test_dinas_network_page_in_english(world):
    html = _client(world.dinas, "en").get(reverse("network:dinas_home")).content.decode()
    for text in ("Offers and needs", "Network graph", "Latest introductions"):
        assert text in html
    assert "Graf jejaring" not in html
