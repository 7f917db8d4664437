from django.db.models import Count
from django.shortcuts import render

from kopdig.tenancy.access import dinas_view
from kopdig.tenancy.models import Cooperative


@dinas_view
def home(request):
    """Regency overview for the Dinas officer."""
    qs = Cooperative.objects.filter(kabupaten_id__in=request.kabupaten_ids)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")))
    by_jenis = list(qs.values("jenis").annotate(n=Count("id")).order_by("-n"))
    jenis_labels = dict(Cooperative.Jenis.choices)
    for row in by_jenis:
        row["label"] = jenis_labels.get(row["jenis"], row["jenis"])
    ctx = {
        "total": sum(by_status.values()),
        "aktif": by_status.get(Cooperative.Status.AKTIF, 0),
        "tidak_aktif": by_status.get(Cooperative.Status.TIDAK_AKTIF, 0),
        "on_kopdig": qs.filter(on_kopdig=True).count(),
        "by_jenis": by_jenis,
    }
    return render(request, "dinas/home.html", ctx)
