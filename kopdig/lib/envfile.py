"""Read a ``.env`` file into the environment before the settings read it (no dependency).

``KEY=value`` lines; ``#`` comments and blank lines are skipped, ``export KEY=value`` is accepted,
one pair of surrounding quotes is removed. The real environment wins: a variable already set is
never overwritten, and an empty value (``DATABASE_URL=`` as in .env.example) counts as unset, so
the default applies. The file is ``$KOPDIG_ENV_FILE`` if set, else ``.env`` in the current
directory; a missing file is no error.
"""

from __future__ import annotations

import os
from pathlib import Path


def parse(text: str) -> dict[str, str]:
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key and value:
            values[key] = value
    return values


def load(path: str | os.PathLike | None = None, environ=os.environ) -> Path | None:
    """Set the file's variables that the environment lacks; returns the file read, or None."""
    file = Path(path or environ.get("KOPDIG_ENV_FILE") or Path.cwd() / ".env")
    if not file.is_file():
        return None
    for key, value in parse(file.read_text(encoding="utf-8")).items():
        if not environ.get(key):
            environ[key] = value
    return file
