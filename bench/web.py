"""Web benchmark: the demo served by gunicorn on loopback, measured by the app's own
``Server-Timing`` header (KOPDIG_SERVER_TIMING=1) and under load by locust.

1. Builds the demo in a fresh data directory (SQLite there, or the PostgreSQL database of
   ``--database-url``, which is emptied first) unless ``--data-dir`` names one already built.
2. Starts gunicorn with the README's recommended settings for a 2-core box (``--workers``,
   ``--threads`` override them).
3. One client: signs in as each demo role, discovers the pages each role is shown (one URL per
   URL pattern, two links deep from its home) and the API reads, opens each ``--samples`` times
   and prints the server time per page (median, p99) from ``Server-Timing``, the pages users
   open often (goal: median ≤ 10 ms, p99 ≤ 40 ms) and, as the reference measured in the same
   run, the login page (the whole middleware stack with almost no view).
4. locust, headless, on the same machine (it takes one of the two cores, so the server has
   one): ``--users`` without think time (goal ≥ 250 req/s, p99 ≤ 400 ms) and ``--think-users``
   with 5–15 s think time (goal p99 ≤ 200 ms). Users share sessions signed in beforehand, so
   the load is the pages, not argon2.

    python -m bench web [-- --database-url postgres://root@127.0.0.1:5432/kopdig_bench_web]
    python -m bench web -- --data-dir /tmp/kopdig-web --skip-build --duration 30
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# The README's recommendation for a 2-core box (see "Serving" there).
WORKERS, THREADS = 2, 2
SKIP = re.compile(
    r"/(keluar|i18n|admin|static|masuk|sandi)/|\.(pdf|xlsx|xls|csv|txt|svg|png|ods|beancount|journal)$"
    r"|/(pdf|unduh|ekspor|ekspor-file|excel|kartu|kuitansi-pdf)/?$|/(baru|ubah|hapus|aksi|buka|tutup)/"
)
# Pages users open often (issue 19): URL names, matched against the resolved view.
OFTEN = {
    "home",
    "coop_home",
    "member_home",
    "members:list",
    "members:detail",
    "savings:teller",
    "savings:teller_member",
    "savings:passbook",
    "savings:mine",
    "loans:list",
    "loans:detail",
    "ledger:journal",
    "ledger:reports",
    "ledger:report",
    "dinas:home",
    "dinas:coop_list",
    "dinas:coop_detail",
    "dinas:rat",
    "dinas:annual_latest",
    "api",
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _pct(values, q):
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[k]


def _server_ms(response) -> tuple[float, float, int]:
    header = response.headers.get("Server-Timing", "")
    app = re.search(r"app;dur=([\d.]+)", header)
    db = re.search(r'db;dur=([\d.]+);desc="(\d+)', header)
    if not app:
        raise SystemExit(f"no Server-Timing header on {response.url}: is KOPDIG_SERVER_TIMING set?")
    return float(app.group(1)), float(db.group(1)) if db else 0.0, int(db.group(2)) if db else 0


def _env(args) -> dict:
    env = dict(os.environ, KOPDIG_DATA_DIR=args.data_dir, KOPDIG_SERVER_TIMING="1", KOPDIG_DEMO="1")
    env["DJANGO_SETTINGS_MODULE"] = "kopdig.settings"
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def _build(args):
    if args.database_url:
        name = urlsplit(args.database_url).path.lstrip("/")
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "kopdig.cli", "demo", "--no-serve"],
        env=_env(args),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo built in {time.monotonic() - started:.0f} s")


def _gunicorn(args):
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "kopdig.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--backlog",
        "2048",
        "--keep-alive",
        "30",
        "--graceful-timeout",
        "3",
    ]
    proc = subprocess.Popen(cmd, env=_env(args), start_new_session=True)
    import requests

    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{args.port}/masuk/", timeout=30)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def _login(base, username, password="demo"):
    import requests

    s = requests.Session()
    s.get(base + "/masuk/")
    r = s.post(
        base + "/masuk/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": base + "/masuk/"},
        allow_redirects=False,
    )
    if r.status_code != 302:
        raise SystemExit(f"login {username} failed: {r.status_code}")
    token = None
    r = s.post(base + "/api/v1/auth/token", json={"username": username, "password": password})
    if r.status_code == 200:
        token = r.json().get("token")
    return s, token


def _roles(args) -> list[str]:
    """The demo's logins: the Dinas and every role of the first cooperative on Kopdig (by slug)."""
    code = (
        "import django; django.setup();"
        "from kopdig.tenancy.models import Role;"
        "print(' '.join(sorted({r.user.username for r in Role.objects.select_related('user')"
        ".filter(user__username__regex=r'-(pengurus|kasir|manajer|pengawas|anggota)$')})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(args), capture_output=True, text=True, check=True
    )
    names = out.stdout.split()
    first = names[0].rsplit("-", 1)[0] if names else ""
    return ["dinas", *(n for n in names if n.rsplit("-", 1)[0] == first)]


def _route(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _discover(base, session, depth=2) -> dict[str, str]:
    """One URL per URL pattern reachable from the role's home (pattern name -> path) that
    answers 200 with a page."""
    found: dict[str, str] = {}
    queued: set[str] = set()
    frontier = ["/"]
    visited = set()
    for _ in range(depth + 1):
        nxt = []
        for path in frontier:
            if path in visited:
                continue
            visited.add(path)
            r = session.get(base + path, allow_redirects=True)
            final = urlsplit(r.url).path
            if r.status_code != 200 or "text/html" not in r.headers.get("Content-Type", ""):
                continue
            route = _route(final)
            if route and route not in found:
                found[route] = final
            parser = _Links()
            parser.feed(r.text)
            for href in parser.links:
                url = urlsplit(urljoin(base + final, href))
                if url.netloc != urlsplit(base).netloc or SKIP.search(url.path) or url.query:
                    continue
                r_name = _route(url.path)
                if r_name and r_name not in found and r_name not in queued:
                    queued.add(r_name)
                    nxt.append(url.path)
        frontier = nxt
    return found


def _api_paths(base, session, token, slug) -> dict[str, str]:
    if not token:
        return {}
    headers = {"Authorization": f"Bearer {token}"}
    found = {}
    spec = session.get(base + "/api/v1/openapi.json").json()
    for path, ops in spec.get("paths", {}).items():
        if "get" not in ops or "{" in path.replace("{slug}", ""):
            continue
        url = path.replace("{slug}", slug)
        r = session.get(base + url, headers=headers)
        if r.status_code == 200:
            found["api " + path] = url
    return found


def sweep(args, base) -> dict:
    """Open every discovered page ``samples`` times as its role; Server-Timing per page."""
    import django

    os.environ.update(_env(args))
    django.setup()
    results = {}
    sessions = {}
    for username in _roles(args):
        session, token = _login(base, username)
        sessions[username] = (session.cookies.get("sessionid"), token)
        pages = _discover(base, session)
        slug = username.rsplit("-", 1)[0] if username != "dinas" else ""
        if username == "dinas" or username.endswith("-pengurus"):
            pages.update(_api_paths(base, session, token, slug))
        for route, path in pages.items():
            key = f"{route} ({username.split('-')[-1]})"
            headers = {"Authorization": f"Bearer {token}"} if route.startswith("api ") else {}
            times, dbs, queries = [], [], 0
            for _ in range(args.samples):
                r = session.get(base + path, headers=headers, allow_redirects=False)
                if r.status_code != 200:
                    break
                app_ms, db_ms, queries = _server_ms(r)
                times.append(app_ms)
                dbs.append(db_ms)
            if times:
                results[key] = {
                    "path": path,
                    "route": route,
                    "times": times,
                    "db": statistics.median(dbs),
                    "queries": queries,
                }
    reference = []
    import requests

    for _ in range(args.samples * 4):
        reference.append(_server_ms(requests.get(base + "/masuk/"))[0])
    return {"pages": results, "sessions": sessions, "reference": reference}


def _often(route: str) -> bool:
    return route in OFTEN or route.startswith("api ")


def report_sweep(data):
    pages = data["pages"]
    ref = statistics.median(data["reference"])
    print(f"\n{'page (role)':58} {'median':>8} {'p99':>8} {'db':>7} {'queries':>7}  often")
    for key, row in sorted(pages.items(), key=lambda kv: -statistics.median(kv[1]["times"])):
        med, p99 = statistics.median(row["times"]), _pct(row["times"], 99)
        mark = "*" if _often(row["route"]) else ""
        print(f"{key[:58]:58} {med:7.1f}ms {p99:7.1f}ms {row['db']:6.1f}ms {row['queries']:7}  {mark}")
    often = [t for row in pages.values() if _often(row["route"]) for t in row["times"]]
    every = [t for row in pages.values() for t in row["times"]]
    print(
        f"\npages users open often (*): {len({k for k, r in pages.items() if _often(r['route'])})} pages, "
        f"{len(often)} requests: median {statistics.median(often):.1f} ms, p99 {_pct(often, 99):.1f} ms "
        f"(goal ≤ 10 ms / ≤ 40 ms)"
    )
    print(
        f"every page found ({len(pages)}): median {statistics.median(every):.1f} ms, p99 {_pct(every, 99):.1f} ms"
    )
    print(
        f"reference, the login page (middleware stack, tiny view): median {ref:.2f} ms; "
        f"often-opened median / reference = {statistics.median(often) / ref:.1f}×"
    )


def _locust(args, base, data, users, think, duration) -> dict:
    targets = [
        {
            "path": row["path"],
            "role": key.rsplit("(", 1)[1].rstrip(")"),
            "api": row["route"].startswith("api "),
        }
        for key, row in data["pages"].items()
        if _often(row["route"])
    ]
    sessions = {u.split("-")[-1]: v for u, v in data["sessions"].items()}
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "targets.json"
        spec.write_text(json.dumps({"targets": targets, "sessions": sessions, "think": think}))
        prefix = Path(tmp) / "stats"
        cmd = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("_web_locustfile.py")),
            "--headless",
            "--host",
            base,
            "-u",
            str(users),
            "-r",
            str(min(users, 100)),
            "-t",
            f"{duration}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = dict(os.environ, KOPDIG_BENCH_WEB=str(spec))
        subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import csv

        with open(f"{prefix}_stats.csv") as f:
            rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p99": float(total["99%"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
    }


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m bench web")
    parser.add_argument("--data-dir")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--port", type=int, default=8517)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think-users", type=int, default=500)
    parser.add_argument("--duration", type=int, default=30, help="seconds of the closed-loop run")
    parser.add_argument("--think-duration", type=int, default=90, help="seconds of the think-time run")
    parser.add_argument("--no-load", action="store_true", help="the one-client sweep only")
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir or tempfile.mkdtemp(prefix="kopdig-bench-web-")
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"bench web: {db}, data in {args.data_dir}, gunicorn {args.workers} workers × {args.threads} threads"
    )
    if not args.skip_build:
        _build(args)
    base = f"http://127.0.0.1:{args.port}"
    server = _gunicorn(args)
    try:
        data = sweep(args, base)
        report_sweep(data)
        if args.no_load:
            return
        print(
            f"\nlocust runs on this machine and takes one of its {os.cpu_count()} cores: "
            f"the server has the other (numbers below are for one core of server)."
        )
        closed = _locust(args, base, data, args.users, False, args.duration)
        print(
            f"{args.users} users, no think time, {args.duration} s: {closed['rps']:.1f} req/s, "
            f"p50 {closed['p50']:.0f} ms, p99 {closed['p99']:.0f} ms, {closed['failures']} failures "
            f"of {closed['requests']} (goal ≥ 250 req/s, p99 ≤ 400 ms)"
        )
        think = _locust(args, base, data, args.think_users, True, args.think_duration)
        print(
            f"{args.think_users} users, 5–15 s think time, {args.think_duration} s: {think['rps']:.1f} req/s, "
            f"p50 {think['p50']:.0f} ms, p99 {think['p99']:.0f} ms, {think['failures']} failures "
            f"of {think['requests']} (goal p99 ≤ 200 ms)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
