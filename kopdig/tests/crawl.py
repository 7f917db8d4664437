"""The phone crawl: from a role's home, open one instance of every URL pattern the role is shown
(skipping logout, downloads and links that act) at 360 px and collect what a person would see wrong.

Used by tests/test_crawl.py (on the test fixture) and scripts/screenshots.py (on the demo).
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# Text a person must never read: internal codes, raw Python values, English number formats, raw dates.
INTERNAL = [
    (
        re.compile(
            r"\b(?:savings|loans|members|ledger|shu|dinas|rat|usaha|audit|tenancy|health)\.[a-z_]{3,}\b"
        ),
        "kode aksi",
    ),
    (re.compile(r"\{'|'\}|\[\]|\bNone\b|\bTrue\b|\bFalse\b|Decimal\("), "nilai Python mentah"),
    (re.compile(r"Rp\s?\d{1,3}(?:,\d{3})+(?:\.\d\d)?\b"), "rupiah berformat Inggris"),
    (re.compile(r"(?<![\d.,])\d{4,}\.\d{2}(?![\d.,])"), "angka desimal mentah"),
    (re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b"), "kode internal (snake_case)"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "tanggal ISO mentah"),
    (re.compile(r"\b\d{2}-\d{2}-\d{4}\b"), "tanggal dd-mm-yyyy"),
    (
        re.compile(r"\b(?:source|held_on|amount|kind|date|note|reason|number|type|memo):\s"),
        "label kunci mentah",
    ),
]
SKIP_PATH = re.compile(
    r"/(keluar|i18n|admin|api|static)/|\.(pdf|xlsx|csv|txt|svg|png)$|/(pdf|unduh|ekspor-file)/?$"
)
DOWNLOAD_TYPES = ("application/pdf", "application/vnd", "text/csv", "application/octet-stream", "image/")

PAGE_CHECKS = """() => {
  const vw = window.innerWidth;
  const out = {overflow: document.documentElement.scrollWidth - vw, cut: []};
  for (const td of document.querySelectorAll('main table td.num, main table tbody th.num')) {
    const r = td.getBoundingClientRect();
    if (!td.textContent.trim() || r.width === 0 || r.height === 0) continue;
    let right = vw, left = 0;
    for (let p = td.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible') { const pr = p.getBoundingClientRect(); right = Math.min(right, pr.right); left = Math.max(left, pr.left); }
    }
    if (r.right > right + 1 || r.left < left - 1) out.cut.push(td.textContent.trim().slice(0, 40));
  }
  return out;
}"""

# What a person reads: the body's text without <code> (column names of an import file are shown as code).
VISIBLE_TEXT = """() => {
  let text = document.body.innerText;
  for (const c of document.querySelectorAll('code, kbd')) { const t = c.innerText.trim(); if (t) text = text.split(t).join(' '); }
  return text;
}"""

LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download') && !a.closest('form') && ![...a.attributes].some(x => /^hx-(post|put|patch|delete)$/.test(x.name)))
  .map(a => a.href)"""


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def visible_problems(text: str) -> list[str]:
    found = []
    for pattern, what in INTERNAL:
        m = pattern.search(text)
        if m:
            start = max(0, m.start() - 30)
            found.append(f"{what}: …{text[start : m.end() + 30]}…".replace("\n", " "))
    return found


def crawl(page, base_url: str, *, limit: int = 120, on_page=None) -> tuple[list[str], list[str]]:
    """Breadth-first crawl from the page's current URL; returns (visited paths, problems)."""
    origin = urlsplit(base_url).netloc
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    queue, seen, visited, problems = deque([page.url]), set(), [], []
    while queue and len(visited) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        route = route_of(parts.path)
        if parts.netloc != origin or route is None or route in seen or SKIP_PATH.search(parts.path):
            continue
        seen.add(route)
        head = page.request.get(url, max_redirects=0)
        kind = head.headers.get("content-type", "")
        if head.status == 200 and kind.startswith(DOWNLOAD_TYPES):
            continue
        errors.clear()
        resp = page.goto(url)
        page.wait_for_load_state("networkidle")
        where = parts.path + (f"?{parts.query}" if parts.query else "")
        visited.append(where)
        problems.extend(f"{where}: {p}" for p in check_page(page, resp.status, errors))
        if on_page:
            on_page(page, where)
        queue.extend(page.evaluate(LINKS))
    return visited, problems


def check_page(page, status: int, errors: list[str]) -> list[str]:
    found = [] if status == 200 else [f"status {status}"]
    result = page.evaluate(PAGE_CHECKS)
    if result["overflow"] > 0:
        found.append(f"halaman {result['overflow']} px lebih lebar dari layar")
    if result["cut"]:
        found.append(f"kolom jumlah terpotong: {result['cut'][:3]}")
    found.extend(f"console: {e}" for e in errors)
    found.extend(visible_problems(page.evaluate(VISIBLE_TEXT)))
    return found
