from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kopdig.tenancy import nav


class DinasConfig(AppConfig):
    name = "kopdig.dinas"
    label = "dinas"
    verbose_name = "Dinas Koperasi"

    def ready(self):
        nav.register(_("Registri koperasi"), "dinas:coop_list", dinas=True, order=10)
        nav.register(_("Data tahunan"), "dinas:annual_latest", dinas=True, order=20)
        nav.register(_("Kepatuhan RAT"), "dinas:rat", dinas=True, order=30)
        nav.register(_("Pengaturan Dinas"), "dinas:settings", dinas=True, order=80)
        nav.register(_("Laporan ke Dinas"), "dinas:coop_report", roles={"pengurus"}, order=85)
