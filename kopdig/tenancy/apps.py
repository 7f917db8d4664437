from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "kopdig.tenancy"
    label = "tenancy"
    verbose_name = "Koperasi & akses"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from . import access, nav

        nav.register(_("Beranda"), "coop_home", roles=access.ALL_COOP - {access.K.ANGGOTA}, order=0)
        nav.register(_("Beranda"), "member_home", roles={access.K.ANGGOTA}, order=0)
        for key, label in (
            ("members", _("Anggota")),
            ("savings", _("Simpanan")),
            ("loans", _("Pinjaman")),
            ("ledger", _("Pembukuan")),
            ("shu", _("SHU")),
            ("audit", _("Log audit")),
        ):
            nav.label_section(key, label)
        nav.register(_("Log audit"), "audit:coop_log", roles=access.BOARD | access.SUPERVISORS, order=90)
        nav.register(_("Beranda"), "dinas:home", dinas=True, order=0)
        nav.register(_("Log audit Dinas"), "audit:dinas_log", dinas=True, order=95)
