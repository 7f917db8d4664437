from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "kopdig.programs"
    label = "programs"
    verbose_name = "Program Dinas"

    def ready(self):
        from kopdig.tenancy import nav

        nav.register(_("Program & pelatihan"), "programs:event_list", dinas=True, order=40)
        nav.register(_("Tindak lanjut"), "programs:follow_ups", dinas=True, order=45)
        nav.register(_("Program Dinas"), "programs:coop_home", roles={"pengurus", "manajer"}, order=86)
        nav.register(_("Sertifikat saya"), "programs:my_certificates", roles={"anggota"}, order=90)
