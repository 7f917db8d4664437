"""The demo logins shown on the login page, only when the server runs in demo mode."""

from django.conf import settings

from .models import DinasRole, Role


def demo_logins():
    if not settings.DEMO_MODE:
        return []
    rows = [("dinas", "Dinas Koperasi")] if DinasRole.objects.filter(user__username="dinas").exists() else []
    rows += [
        (r.user.username, r.get_kind_display())
        for r in DinasRole.objects.filter(user__username__startswith="dinas-")
        .select_related("user")
        .order_by("user__username")
    ]
    rows.append(("admin", "Superuser"))
    roles = (
        Role.objects.filter(user__username__endswith=("-" + "pengurus"))
        .select_related("cooperative")
        .order_by("cooperative__name")
    )
    for role in roles:
        slug = role.cooperative.slug
        for kind in Role.Kind.values:
            rows.append((f"{slug}-{kind}", f"{role.cooperative.name} · {kind}"))
    return rows
