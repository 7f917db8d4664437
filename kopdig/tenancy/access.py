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
from django.http import Http404

from .models import Cooperative, DinasRole, Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    from django.db.models import Q

    return Cooperative.objects.filter(
        Q(roles__user=user) | Q(kabupaten_id__in=dinas_kabupaten_ids(user))
    ).distinct()


def public_view(view):
    """Mark a view as deliberately open to anonymous users (an invitation link, the public catalogue).

    The access tests accept unchecked views only when they carry this mark.
    """
    view.kopdig_public = True
    return view
