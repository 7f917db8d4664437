from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "kopdig.members"
    label = "members"
    verbose_name = "Anggota"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.tenancy import nav

        nav.register(_("Anggota"), "members:list", roles=nav.READERS, order=10)
