"""Access helpers: who may see and do what in which cooperative.

Rules (architecture §4): a cooperative the user has no role in, and that is not under a
kabupaten where the user is a Dinas officer, answers 404 exactly like a missing one. A page of
the user's own cooperative that the role may not use answers 403. Dinas officers read the
cooperatives of their kabupaten (safe methods only, and only where a view allows it) and
never write a cooperative's books, members or accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import Http404

from kopdig.lib.errors import NotAllowed

from .models import Cooperative, DinasRole, Role
from .roles import ALL_COOP, APPROVERS, BOARD, MEMBERS, READERS, STAFF, SUPERVISORS  # noqa: F401

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The role sets live in .roles (no models); re-exported here with the check that uses them.
K = Role.Kind


class SystemActor:
    """The actor of jobs (commands, background tasks, the demo builder): passes every role
    check, is recorded in the audit as "sistem" (no user). Use the one instance ``SYSTEM``."""

    is_authenticated = False
    is_superuser = False
    is_system = True
    pk = None
    id = None
    username = "sistem"
    display_name = "Sistem"

    def __str__(self):
        return "Sistem"

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def user_of(actor):
    """The User behind ``actor`` for the ``…_by`` columns: None for the system actor (and None)."""
    if actor is None or is_system(actor) or not actor.is_authenticated:
        return None
    return actor


def role_of(actor, cooperative) -> str | None:
    """The actor's Role.Kind in the cooperative (None: no role; the system actor has none)."""
    if actor is None or is_system(actor) or not actor.is_authenticated:
        return None
    # Not cached on the user object: a role granted or revoked later in the same job (or test)
    # must count at once. One indexed lookup (the unique (cooperative, user) constraint).
    with connection.cursor() as cursor:
        cursor.execute(_role_sql(), [cooperative.pk, actor.pk])
        row = cursor.fetchone()
    return row[0] if row else None


_ROLE_SQL: list = []


def _role_sql() -> str:
    """The role lookup as one cached statement (the same on SQLite and PostgreSQL).

    Raw SQL because every action runs it: measured interleaved on SQLite (var/ab_audit.py in
    the commit adding this; 10 x 300 calls) the ORM queryset cost 934 µs a call against 49 µs
    for this statement (19x), which alone took ``bench/ledger``'s journal_entry_post rate
    below the issue's 5% bound."""
    if not _ROLE_SQL:
        qn = connection.ops.quote_name
        _ROLE_SQL.append(
            f"SELECT {qn('kind')} FROM {qn(Role._meta.db_table)} "
            f"WHERE {qn('cooperative_id')} = %s AND {qn('user_id')} = %s LIMIT 1"
        )
    return _ROLE_SQL[0]


def require_role(actor, cooperative, roles, what: str = "tindakan ini") -> str | None:
    """THE permission check of every action: raise NotAllowed unless ``actor`` holds one of
    ``roles`` in ``cooperative``. The system actor passes; ``None`` never does (a job must
    say it is the system). Returns the actor's role (None for the system)."""
    if is_system(actor):
        return None
    if actor is None:
        raise NotAllowed("Tindakan ini memerlukan pengguna yang masuk (atau aktor sistem).")
    role = role_of(actor, cooperative)
    if role not in roles:
        raise NotAllowed(f"Peran Anda tidak mengizinkan {what} di koperasi ini.")
    return role


def require_dinas(actor, kabupaten_id, what: str = "tindakan ini", kinds=None) -> None:
    """The permission check of Dinas actions: the actor is a Dinas officer of ``kabupaten_id``
    (of one of ``kinds`` when given). The system actor and superusers pass."""
    if is_system(actor):
        return
    if actor is None:
        raise NotAllowed("Tindakan ini memerlukan pengguna yang masuk (atau aktor sistem).")
    if actor.is_superuser:
        return
    if kinds is None:
        allowed = kabupaten_id in dinas_kabupaten_ids(actor)  # cached on the user object
    else:
        allowed = DinasRole.objects.filter(
            user_id=actor.pk, kabupaten_id=kabupaten_id, kind__in=kinds
        ).exists()
    if not allowed:
        raise NotAllowed(f"Hanya petugas Dinas kabupaten koperasi ini yang dapat melakukan {what}.")


@dataclass(frozen=True)
class Access:
    cooperative: Cooperative
    role: str | None  # the user's Role.Kind in this cooperative, None for a Dinas reader
    dinas: bool = False

    def has(self, roles) -> bool:
        return self.role is not None and self.role in roles


def dinas_kabupaten_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kopdig_dinas_kab", None)
    if cached is None:
        cached = set(DinasRole.objects.filter(user=user).values_list("kabupaten_id", flat=True))
        user._kopdig_dinas_kab = cached
    return cached


def is_dinas(user) -> bool:
    return bool(dinas_kabupaten_ids(user))


def coop_access(user, slug: str) -> Access:
    """The user's access to the cooperative ``slug``; Http404 when it is not theirs to see."""
    if not user.is_authenticated:
        raise Http404
    try:
        coop = Cooperative.objects.select_related("kabupaten").get(slug=slug)
    except Cooperative.DoesNotExist:
        raise Http404 from None
    role = Role.objects.filter(cooperative=coop, user=user).values_list("kind", flat=True).first()
    if role:
        return Access(coop, role)
    if coop.kabupaten_id in dinas_kabupaten_ids(user):
        return Access(coop, None, dinas=True)
    raise Http404


def check(access: Access, roles, *, dinas_read: bool = False, method: str = "GET") -> None:
    """Raise PermissionDenied unless the role is allowed (Dinas: reads only, where allowed)."""
    if access.dinas:
        if dinas_read and method in SAFE_METHODS:
            return
        raise PermissionDenied
    if access.role not in roles:
        raise PermissionDenied


def coop_view(roles, *, dinas_read: bool = False):
    """Decorator for views under /k/<slug>/: sets request.coop and request.access.

    The view keeps its ``slug`` argument out of its signature: it receives ``request`` and
    the remaining URL kwargs.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            access = coop_access(request.user, slug)
            check(access, roles, dinas_read=dinas_read, method=request.method)
            request.coop = access.cooperative
            request.access = access
            return view(request, *args, **kwargs)

        wrapper.kopdig_roles = frozenset(roles)
        wrapper.kopdig_dinas_read = dinas_read
        return wrapper

    return decorator


def dinas_view(view):
    """Decorator for /dinas/ views: sets request.kabupaten_ids; 403 for non-Dinas users."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        kab = dinas_kabupaten_ids(request.user)
        if not kab:
            raise PermissionDenied
        request.kabupaten_ids = kab
        return view(request, *args, **kwargs)

    wrapper.kopdig_dinas = True
    return wrapper


def cooperatives_visible_to(user):
    """Cooperatives a user may list: their own (any role) plus those under their Dinas kabupaten."""
    if not user.is_authenticated:
        return Cooperative.objects.none()
    return Cooperative.objects.filter(
        Q(roles__user=user) | Q(kabupaten_id__in=dinas_kabupaten_ids(user))
    ).distinct()


def public_view(view):
    """Mark a view as deliberately open to anonymous users (an invitation link, the public catalogue).

    The access tests accept unchecked views only when they carry this mark.
    """
    view.kopdig_public = True
    return view
