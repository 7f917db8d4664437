from django.apps import AppConfig


class RatConfig(AppConfig):
    name = "kopdig.rat"
    label = "rat"
    verbose_name = "RAT"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.tenancy import nav

        nav.register(_("RAT"), "rat:index", roles=nav.ALL_COOP, order=65)

        from .audit_labels import register

        register()
