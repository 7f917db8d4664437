from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kopdig.network"
    label = "network"
    verbose_name = "Jejaring usaha"

    def ready(self):
        from kopdig.tenancy import nav

        nav.register(_("Jejaring usaha"), "network:dinas_home", dinas=True, order=50)
        nav.register(_("Jejaring usaha"), "network:coop_home", roles={"pengurus", "manajer"}, order=87)
