"""The world of the OpenAPI fuzz step (scripts/fuzz_api.sh): the demo regency in the database of
``DATABASE_URL``, a bearer token for a pengurus and one for the Dinas officer, and a schemathesis
configuration that pins the cooperative's slug and offers the real identifiers of that
cooperative (member, account, loan, journal and sale numbers, product, meeting, agenda item,
examination and event codes, years) to the generated calls, so the fuzzing reaches past the 404.

    python scripts/fuzz_world.py OUTDIR    writes OUTDIR/schemathesis.toml and OUTDIR/tokens.env
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

COOP = "ksu-tunas-harapan"  # the showcase cooperative with every unit (savings, loans, usaha, RAT)
SEED = 20261204
MAX_EXAMPLES = 12


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kopdig.tenancy.models import Cooperative

    call_command("migrate", verbosity=0)
    if not Cooperative.objects.filter(slug=COOP).exists():
        from kopdig.tenancy.management.commands.demo import build

        build(out=sys.stdout)
    coop = Cooperative.objects.get(slug=COOP)
    tokens = {"PENGURUS": _token(f"{COOP}-pengurus"), "DINAS": _token("dinas")}
    (out / "tokens.env").write_text("".join(f"FUZZ_TOKEN_{k}={v}\n" for k, v in tokens.items()))
    (out / "schemathesis.toml").write_text(_config(_identifiers(coop)))
    print(f"fuzz world: {coop.name} ({COOP}), tokens and schemathesis.toml in {out}")
    return 0


def _token(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kopdig.api.models import ApiToken
    from kopdig.lib.tokens import hash_token

    user = get_user_model().objects.get(username=username)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, digest=hash_token(raw), expires_at=timezone.now() + timedelta(days=1))
    return raw


def _identifiers(coop) -> dict[str, list]:
    """Real identifiers of ``coop`` for the path parameters ``number``, ``code`` and ``year``."""
    from django.apps import apps

    def values(label: str, field: str, n: int = 5, **filters) -> list:
        try:
            model = apps.get_model(label)
        except LookupError:
            return []
        qs = model.objects.filter(cooperative=coop, **filters).order_by("-pk")
        return [str(v) for v in qs.values_list(field, flat=True)[:n] if v not in (None, "")]

    numbers = (
        values("members.Member", "number")
        + values("savings.SavingsAccount", "number")
        + values("loans.Loan", "number")
        + values("ledger.JournalEntry", "number")
        + values("usaha.Sale", "number")
    )
    codes = (
        values("rat.Meeting", "code")
        + values("rat.AgendaItem", "code")
        + values("usaha.Product", "code")
        + values("health.Examination", "code")
        + _event_codes(coop)
    )
    years = sorted({int(y) for y in values("shu.ShuYear", "year", n=3)} | {2025})
    return {"numbers": numbers, "codes": codes, "years": years}


def _event_codes(coop) -> list[str]:
    from django.apps import apps

    try:
        event = apps.get_model("programs.Event")
    except LookupError:
        return []
    qs = event.objects.filter(kabupaten_id=coop.kabupaten_id).order_by("-pk")
    return [str(c) for c in qs.values_list("code", flat=True)[:5]]


def _config(ids: dict[str, list]) -> str:
    def dictionary(name: str) -> str:
        vals = ids[name] or ["1"]
        return f"[dictionaries.{name}]\nvalues = {json.dumps(vals)}\n"

    return f"""# Written by scripts/fuzz_world.py for the CI fuzz step (issue 12); not a project file.
seed = {SEED}
request-timeout = 30.0
workers = 2

[generation]
max-examples = {MAX_EXAMPLES}
deterministic = true
database = "none"

[checks]
enabled = false
not_a_server_error.enabled = true
status_code_conformance.enabled = true
content_type_conformance.enabled = true
response_headers_conformance.enabled = true
response_schema_conformance.enabled = true

[parameters]
"path.slug" = "{COOP}"
"path.number" = {{ dictionary = "numbers", probability = 0.7 }}
"path.code" = {{ dictionary = "codes", probability = 0.7 }}
"path.year" = {{ dictionary = "years", probability = 0.7 }}

{dictionary("numbers")}
{dictionary("codes")}
{dictionary("years")}
[phases.stateful]
max-steps = 6
"""


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
