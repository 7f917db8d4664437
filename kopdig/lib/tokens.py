"""Secret tokens: API bearer tokens, invitation links, one-time form tokens."""

import hashlib
import secrets


def new_secret() -> str:
    """A raw secret for a link or a bearer token (shown once; only its hash is stored)."""
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def form_token() -> str:
    """The hidden one-time token of a form that must not act twice on a double submit
    (checked by ``kopdig.api.idempotency.run_once`` with an ``ui:`` endpoint)."""
    return secrets.token_hex(16)
