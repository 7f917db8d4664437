from django.core.paginator import Paginator
from django.shortcuts import render

from kopdig.tenancy.access import BOARD, coop_view, dinas_view

from .models import AuditLog


def _page(request, qs):
    return Paginator(qs.select_related("actor", "cooperative"), 50).get_page(request.GET.get("page"))


@coop_view(BOARD | {"pengawas"}, dinas_read=True)
def coop_log(request):
    page = _page(request, AuditLog.objects.filter(cooperative=request.coop))
    return render(request, "audit/log.html", {"page": page, "show_coop": False})


@dinas_view
def dinas_log(request):
    page = _page(request, AuditLog.objects.filter(kabupaten_id__in=request.kabupaten_ids))
    return render(request, "audit/log.html", {"page": page, "show_coop": True})
