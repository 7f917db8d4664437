"""Issue 12 item 16: CSP on every page, and production settings pass `kopdig check --deploy`."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "KOPDIG_SECRET_KEY": secrets.token_urlsafe(50),
    "KOPDIG_ALLOWED_HOSTS": "kopdig.example.id",
    "KOPDIG_CSRF_TRUSTED_ORIGINS": "https://kopdig.example.id",
    "KOPDIG_BEHIND_TLS_PROXY": "true",
    "KOPDIG_HSTS_INCLUDE_SUBDOMAINS": "true",
    "KOPDIG_HSTS_PRELOAD": "true",
}


def _check_deploy(tmp_path, extra):
    kopdig = shutil.which("kopdig", path=str(Path(sys.executable).parent))
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "KOPDIG_DATA_DIR": str(tmp_path), **extra}
    return subprocess.run(
        [kopdig, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_behind_a_tls_proxy_pass_check_deploy(tmp_path):
    result = _check_deploy(tmp_path, PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_warns_without_the_proxy(tmp_path):
    plain = {k: v for k, v in PRODUCTION.items() if k != "KOPDIG_BEHIND_TLS_PROXY"}
    result = _check_deploy(tmp_path, plain)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "security.W004" in output and "security.W012" in output


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts(client):
    for url in ("/masuk/", "/api/v1/docs"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_no_template_has_an_inline_script_or_handler():
    root = Path(__file__).resolve().parent.parent
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"", re.I)
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("templates/**/*.html") if inline.search(p.read_text())
    ]
    assert offenders == []
