"""Registering a cooperative and inviting its first pengurus: the link works once."""

import pytest
from django.core import mail

from kopdig.dinas import actions
from kopdig.tenancy.models import Cooperative, Role, User

pytestmark = pytest.mark.django_db


def test_register_and_invite_link_works_once(
    world, dinas_client, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    resp = dinas_client.post(
        "/dinas/koperasi/baru/",
        {
            "name": "Koperasi Produsen Tani Makmur",
            "jenis": "produsen",
            "kelompok": "tani",
            "bentuk": "primer",
            "kecamatan": "35.13.14",
            "nik": "3513140000999",
        },
    )
    assert resp.status_code == 302
    coop = Cooperative.objects.get(name="Koperasi Produsen Tani Makmur")
    assert coop.kabupaten == world.kab and not coop.on_kopdig
    with django_capture_on_commit_callbacks(execute=True):
        resp = dinas_client.post(
            f"/dinas/koperasi/{coop.slug}/undang/",
            {
                "name": "Slamet Riyadi",
                "title": "Ketua",
                "username": "slamet.tm",
                "email": "slamet@example.org",
            },
        )
    assert resp.status_code == 200
    link = resp.context["link"]
    assert link and "/dinas/undangan/" in link
    user = User.objects.get(username="slamet.tm")
    assert not user.has_usable_password()
    assert Role.objects.get(cooperative=coop, user=user).kind == "pengurus"
    assert len(mail.outbox) == 1 and link.split("/undangan/")[1] in mail.outbox[0].body

    path = "/dinas/undangan/" + link.split("/undangan/")[1]
    invitee = Client()
    assert invitee.get(path).status_code == 200
    resp = invitee.post(path, {"new_password1": "Kuat-sekali-2025", "new_password2": "Kuat-sekali-2025"})
    assert resp.status_code == 302 and resp["Location"] == f"/k/{coop.slug}/"
    user.refresh_from_db()
    assert user.check_password("Kuat-sekali-2025")
    assert invitee.get(resp["Location"]).status_code == 200
    # Once only.
    again = Client().post(path, {"new_password1": "Lain-lagi-2025x", "new_password2": "Lain-lagi-2025x"})
    assert again.status_code == 404
    user.refresh_from_db()
    assert user.check_password("Kuat-sekali-2025")


def test_only_an_officer_of_the_kabupaten_invites(world, plain_coops):
    from kopdig.lib.errors import NotAllowed

    with pytest.raises(NotAllowed):
        actions.pengurus_invite(actor=world.dinas_other, cooperative=plain_coops[0], username="x1", name="X")
    with pytest.raises(NotAllowed):
        actions.pengurus_invite(actor=world.pengurus_b, cooperative=plain_coops[0], username="x1", name="X")
    assert not User.objects.filter(username="x1").exists()


def test_bad_token_is_refused(world):
    from django.test import Client

    assert Client().get("/dinas/undangan/not-a-token/").status_code == 404
