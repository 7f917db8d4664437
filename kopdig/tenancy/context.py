from django.conf import settings

from . import nav


def kopdig(request):
    access = getattr(request, "access", None)
    ctx = {"DEMO_MODE": settings.DEMO_MODE, "coop": getattr(request, "coop", None), "access": access}
    if access is not None:
        ctx["nav_items"] = nav.coop_items(access.role) if not access.dinas else []
    elif getattr(request, "kabupaten_ids", None):
        ctx["dinas_nav_items"] = nav.dinas_items()
    return ctx
