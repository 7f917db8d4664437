from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "kopdig.health"
    label = "health"
    verbose_name = "Kesehatan koperasi"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.tenancy import nav

        nav.register(_("Pemeriksaan kesehatan"), "health:dinas_index", dinas=True, order=40)
        nav.register(_("Kesehatan koperasi"), "health:coop_index", roles={"pengurus", "manajer", "pengawas"}, order=70)
