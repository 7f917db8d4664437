"""Helpers shared by every app's API router."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Schema
from ninja.errors import HttpError

from kopdig.tenancy.access import Access, check, coop_access

MAX_LIMIT = 500


def api_coop(request, slug: str, roles, *, dinas_read: bool = False) -> Access:
    """The caller's access to cooperative ``slug``: 404 if not visible, 403 if the role may not."""
    try:
        access = coop_access(request.user, slug)
        check(access, roles, dinas_read=dinas_read, method=request.method)
    except Http404:
        raise HttpError(404, "Tidak ditemukan.") from None
    except PermissionDenied:
        raise HttpError(403, "Peran Anda tidak mengizinkan tindakan ini.") from None
    return access


def page(qs_or_list, limit: int, offset: int, serialize) -> dict:
    """``{"items": [...], "count": N}`` with limit/offset applied."""
    if limit < 1 or limit > MAX_LIMIT or offset < 0:
        raise HttpError(422, f"limit harus 1–{MAX_LIMIT} dan offset ≥ 0.")
    count = qs_or_list.count() if hasattr(qs_or_list, "count") and not isinstance(qs_or_list, list) else len(qs_or_list)
    items = [serialize(obj) for obj in qs_or_list[offset : offset + limit]]
    return {"items": items, "count": count}


class Detail(Schema):
    detail: object
