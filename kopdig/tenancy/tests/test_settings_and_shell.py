import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client


def _settings_in_subprocess(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_extra)
    code = (
        "import django,json;django.setup();from django.conf import settings as s;d=s.DATABASES['default'];"
        "print(json.dumps([d['ENGINE'], str(d['NAME']), d.get('OPTIONS',{}).get('transaction_mode'), s.PASSWORD_HASHERS[0]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "kopdig.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_sqlite_by_default_in_data_dir(tmp_path):
    engine, name, mode, hasher = _settings_in_subprocess({"KOPDIG_DATA_DIR": str(tmp_path)})
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "kopdig.sqlite3")
    assert mode == "IMMEDIATE"
    assert hasher.endswith("Argon2PasswordHasher")
    assert (tmp_path / "secret_key").exists()


def test_postgres_from_database_url(tmp_path):
    engine, name, mode, _ = _settings_in_subprocess(
        {"KOPDIG_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://root@127.0.0.1:5432/kopdig"}
    )
    assert engine == "django.db.backends.postgresql" and name == "kopdig" and mode is None


def test_security_settings():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.TIME_ZONE == "Asia/Jakarta" and settings.LANGUAGE_CODE == "id"


@pytest.mark.django_db
def test_login_is_throttled(world, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post("/masuk/", {"username": world.kasir_a.username, "password": "salah"})
    resp = c.post("/masuk/", {"username": world.kasir_a.username, "password": world.password})
    assert resp.status_code == 429
    assert "_auth_user_id" not in c.session


@pytest.mark.django_db
def test_demo_logins_only_in_demo_mode(world, settings):
    from kopdig.tenancy.models import Role

    Role.objects.filter(user=world.pengurus_a).update()
    world.pengurus_a.username = f"{world.coop_a.slug}-pengurus"
    world.pengurus_a.save()
    settings.DEMO_MODE = False
    assert b"Akun demo" not in Client().get("/masuk/").content
    settings.DEMO_MODE = True
    assert f"{world.coop_a.slug}-kasir".encode() in Client().get("/masuk/").content


@pytest.mark.django_db
def test_language_switch_to_english(world):
    c = Client()
    c.force_login(world.pengurus_a)
    assert "Keluar" in c.get(f"/k/{world.coop_a.slug}/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log out" in c.get(f"/k/{world.coop_a.slug}/").content.decode()
