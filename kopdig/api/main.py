"""The REST API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

import copy
import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kopdig.lib.errors import DomainError
from kopdig.lib.tokens import hash_token
from kopdig.tenancy.access import cooperatives_visible_to

from .auth import LOCKED_OUT, BearerToken
from .common import Detail, Paging, Text, page, responses
from .models import ApiToken

log = logging.getLogger(__name__)


class KopdigAPI(NinjaAPI):
    """The API whose contract documents every error it can answer: each operation lists 400 (a
    body or query Django cannot read), 404 and 422 (a missing object, a refused value), and 401
    and 403 when it needs a token. The exception
    handlers below answer them as ``{"detail": ...}`` whatever the router declared, so the
    contract is completed here, in one place, rather than trusted to every app's ``response=``."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Built once per process: the routers do not change after start, and building it
        # walks every operation's pydantic models (seconds on a busy machine).
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        cache = self.__dict__.setdefault("_kopdig_schemas", {})
        if key not in cache:
            cache[key] = self._complete(
                super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            )
        return copy.deepcopy(cache[key])

    @staticmethod
    def _complete(schema):
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Detail", Detail.model_json_schema())
        for path, operations in schema["paths"].items():
            if path.endswith(("/openapi.json", "/docs")):
                continue
            for operation in operations.values():
                codes = ("400", "404", "422") + (("401", "403") if operation.get("security") else ())
                for code in codes:
                    operation["responses"].setdefault(code, _ERROR_RESPONSE)
        return schema


_ERROR_RESPONSE = {
    "description": 'Error: {"detail": message}',
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}},
}

api = KopdigAPI(
    title="Kopdig API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    description="Kopdig: koperasi books, savings, loans, SHU; Dinas supervision. "
    "Obtain a token at POST /api/v1/auth/token and send `Authorization: Bearer <token>`.",
)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Tidak ditemukan."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "Peran Anda tidak mengizinkan tindakan ini."}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Token tidak ada atau tidak berlaku."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # ninja's own 400 ("Cannot parse request body") is said in the API's language.
    detail = UNREADABLE if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


UNREADABLE = "Isi permintaan tidak dapat dibaca (kirim JSON yang sah)."


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def unreadable(request, exc):
    """A request Django cannot read (a multipart type without boundary, too many fields, too
    large): 400, never a 500."""
    return api.create_response(request, {"detail": UNREADABLE}, status=400)


@api.exception_handler(Exception)
def server_error(request, exc):
    """Anything unexpected: logged with its traceback, answered as JSON 500 (never an HTML page)."""
    log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "Terjadi kesalahan pada server."}, status=500)


class TokenIn(Schema):
    username: Text(150, min_length=1)
    password: Text(128, min_length=1)


class TokenOut(Schema):
    token: str
    expires_at: str


@api.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: Detail, 422: Detail, 429: Detail}, tags=["auth"]
)
def token(request, data: TokenIn):
    """Exchange a username and password for a bearer token (throttled like the login page:
    after too many failures the username+IP pair answers 429 for a while)."""
    user = authenticate(request, username=data.username.strip().lower(), password=data.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": LOCKED_OUT})
    if user is None:
        return Status(401, {"detail": "Nama pengguna atau kata sandi salah."})
    raw = ApiToken.new_raw()
    expires = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    ApiToken.objects.create(user=user, digest=hash_token(raw), expires_at=expires)
    return Status(200, {"token": raw, "expires_at": expires.isoformat()})


class CoopOut(Schema):
    slug: str
    name: str
    badan_hukum_number: str
    badan_hukum_date: str | None
    nik: str
    npwp: str
    jenis: str
    kelompok: str
    bentuk: str
    has_usp: bool
    kbli: str
    address: str
    provinsi: str | None
    kabupaten: str
    kecamatan: str | None
    desa: str | None
    founded_on: str | None
    book_year_start_month: int
    phone: str
    status: str
    on_kopdig: bool
    open_loop: bool


def coop_out(c) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "badan_hukum_number": c.badan_hukum_number,
        "badan_hukum_date": c.badan_hukum_date.isoformat() if c.badan_hukum_date else None,
        "nik": c.nik,
        "npwp": c.npwp,
        "jenis": c.jenis,
        "kelompok": c.kelompok,
        "bentuk": c.bentuk,
        "has_usp": c.has_usp,
        "kbli": c.kbli,
        "address": c.address,
        "provinsi": c.kabupaten.parent.name if c.kabupaten.parent_id else None,
        "kabupaten": c.kabupaten.name,
        "kecamatan": c.kecamatan.name if c.kecamatan_id else None,
        "desa": c.desa.name if c.desa_id else None,
        "founded_on": c.founded_on.isoformat() if c.founded_on else None,
        "book_year_start_month": c.book_year_start_month,
        "phone": c.phone,
        "status": c.status,
        "on_kopdig": c.on_kopdig,
        "open_loop": c.open_loop,
    }


class CoopList(Schema):
    items: list[CoopOut]
    count: int


@api.get("/coops", response=responses(CoopList), tags=["koperasi"])
def coops(request, paging: Query[Paging]):
    """Cooperatives the caller may see: their own, or all of their kabupaten for a Dinas officer."""
    qs = (
        cooperatives_visible_to(request.user)
        .select_related("kabupaten__parent", "kecamatan", "desa")
        .order_by("name")
    )
    return page(qs, paging.limit, paging.offset, coop_out)


def _mount_routers():
    """Each app exposes ``router`` in its api.py, mounted at the root. Its paths are written in
    full (``/coops/{slug}/accounts``, ``/dinas/coops``): ninja does not read path parameters in
    a router's mount prefix."""
    for app in [
        "ledger",
        "members",
        "savings",
        "loans",
        "shu",
        "rat",
        "usaha",
        "dinas",
        "health",
        "programs",
        "network",
    ]:
        try:
            module = import_module(f"kopdig.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"kopdig.{app}.api":
                raise
            continue
        api.add_router("/", module.router)


_mount_routers()
