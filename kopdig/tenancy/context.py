from django.conf import settings

from . import nav
from .access import APPROVERS, STAFF


def kopdig(request):
    access = getattr(request, "access", None)
    ctx = {"DEMO_MODE": settings.DEMO_MODE, "coop": getattr(request, "coop", None), "access": access}
    menu = None
    if access is not None and not access.dinas:
        ctx["nav_items"] = nav.coop_items(access.role)
        ctx["role_staff"] = access.has(STAFF)  # enters transactions: teller links, forms
        ctx["role_approver"] = access.has(APPROVERS)
        menu = nav.sections(ctx["nav_items"])
    elif access is not None or getattr(request, "kabupaten_ids", None):
        ctx["nav_items"] = []
        ctx["dinas_nav_items"] = nav.dinas_items()
        menu = nav.sections(ctx["dinas_nav_items"], grouped=False)
    if menu:
        match = getattr(request, "resolver_match", None)
        ctx["menu_sections"] = menu
        ctx["menu_current"] = nav.current_section(menu, match.view_name if match else None)
    return ctx
