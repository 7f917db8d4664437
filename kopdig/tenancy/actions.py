"""Writes of the tenancy app: cooperatives, users, roles."""

from __future__ import annotations

from django.utils.text import slugify

from kopdig import audit
from kopdig.ledger.chart import apply_template
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.transactions import action_atomic

from .access import BOARD, is_system, require_dinas, require_role
from .models import Cooperative, Region, Role, User

REGISTRY_FIELDS = [
    "name",
    "badan_hukum_number",
    "badan_hukum_date",
    "nik",
    "npwp",
    "jenis",
    "kelompok",
    "bentuk",
    "has_usp",
    "kbli",
    "address",
    "kecamatan",
    "desa",
    "founded_on",
    "book_year_start_month",
    "phone",
    "email",
    "status",
    "on_kopdig",
    "open_loop",
]


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "koperasi"
    slug, n = base, 2
    while Cooperative.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def cooperative_register(
    *, actor, kabupaten: Region, name: str, jenis: str, slug: str | None = None, **fields
):
    """Register a cooperative in a kabupaten's registry (Dinas officer or superuser).

    A cooperative that keeps its books on Kopdig gets its chart of accounts from the template
    of its jenis in the same transaction.
    """
    require_dinas(actor, kabupaten.pk, "pendaftaran koperasi")
    if kabupaten.level != Region.Level.KABUPATEN:
        raise DomainError("Wilayah harus berupa kabupaten/kota.")
    unknown = set(fields) - set(REGISTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown registry fields: {sorted(unknown)}")
    with action_atomic():
        coop = _create_cooperative(kabupaten=kabupaten, name=name, jenis=jenis, slug=slug, **fields)
        audit.record(
            actor,
            "cooperative_register",
            cooperative=coop,
            obj=coop,
            ref=coop.slug,
            summary=name,
            after=audit.snapshot(coop, ["name", "jenis", "kelompok", "status", "on_kopdig"]),
        )
    return coop


def _create_cooperative(*, kabupaten, name, jenis, slug=None, **fields):
    name = name.strip()
    if not name:
        raise DomainError("Nama koperasi wajib diisi.")
    if jenis not in Cooperative.Jenis.values:
        raise DomainError("Jenis koperasi tidak dikenal.")
    for region_field, level in (("kecamatan", Region.Level.KECAMATAN), ("desa", Region.Level.DESA)):
        region = fields.get(region_field)
        if region is not None and region.level != level:
            raise DomainError(f"{region_field} tidak valid.")
    if fields.get("desa") is not None and fields.get("kecamatan") is not None:
        if fields["desa"].parent_id != fields["kecamatan"].pk:
            raise DomainError("Desa tidak berada di kecamatan yang dipilih.")
    if fields.get("kecamatan") is not None and fields["kecamatan"].parent_id != kabupaten.pk:
        raise DomainError("Kecamatan tidak berada di kabupaten ini.")
    slug = slug or unique_slug(name)
    if Cooperative.objects.filter(slug=slug).exists():
        raise DomainError("Slug koperasi sudah dipakai.")
    coop = Cooperative.objects.create(kabupaten=kabupaten, name=name, jenis=jenis, slug=slug, **fields)
    if coop.on_kopdig:
        apply_template(coop)
    return coop


def role_grant(*, actor, cooperative: Cooperative, user: User, kind: str, title: str = "") -> Role:
    """Give a user a role in a cooperative (its pengurus; a Dinas officer for the first pengurus; the
    system). Inside another action, run it in ``kopdig.lib.transactions.batch()``."""
    if kind not in Role.Kind.values:
        raise DomainError("Peran tidak dikenal.")
    _check_granter(actor, cooperative, kind)
    with action_atomic():
        return _grant(actor=actor, cooperative=cooperative, user=user, kind=kind, title=title)


def _check_granter(actor, cooperative, kind) -> None:
    """The cooperative's pengurus grants any role; a Dinas officer of its kabupaten (or a
    superuser) grants the first pengurus; the system actor passes."""
    if actor is not None and (is_system(actor) or actor.is_superuser):
        return
    try:
        require_role(actor, cooperative, BOARD, "memberi peran")
    except NotAllowed:
        if kind != Role.Kind.PENGURUS:
            raise NotAllowed("Hanya pengurus yang dapat memberi peran.") from None
        require_dinas(actor, cooperative.kabupaten_id, "pemberian peran pengurus")


def _grant(*, actor, cooperative, user, kind, title) -> Role:
    role, created = Role.objects.select_for_update().get_or_create(
        cooperative=cooperative, user=user, defaults={"kind": kind, "title": title}
    )
    before = {"kind": role.kind, "title": role.title} if not created else None
    if not created:
        role.kind, role.title = kind, title
        role.save(update_fields=["kind", "title"])
    audit.record(
        actor,
        "role_grant",
        cooperative=cooperative,
        obj=role,
        ref=user.username,
        before=before,
        after={"kind": kind, "title": title},
    )
    return role


def user_create(
    *, actor, username: str, password: str | None, name: str = "", email: str = "", phone: str = ""
) -> User:
    """Create a login. ``password=None`` leaves it unusable until set (an invitation)."""
    username = username.strip().lower()
    if not username:
        raise DomainError("Nama pengguna wajib diisi.")
    if User.objects.filter(username=username).exists():
        raise DomainError("Nama pengguna sudah dipakai.")
    user = User(username=username, name=name, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "user_create", obj=user, ref=username, after={"username": username, "name": name})
    return user
