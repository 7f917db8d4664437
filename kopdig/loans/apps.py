from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "kopdig.loans"
    label = "loans"
    verbose_name = _("Pinjaman")

    def ready(self):
        from kopdig.ledger import verifiers
        from kopdig.tenancy import dashboard, nav

        from .verify import verify_loans
        from .widgets import coop_widget, member_widget

        nav.register(_("Pinjaman"), "loans:list", roles=nav.READERS, order=40)
        nav.register(_("Portofolio pinjaman"), "loans:portfolio", roles=nav.READERS, order=41)
        nav.register(_("Simulasi pinjaman"), "loans:preview", roles={"anggota"}, order=42)
        dashboard.register_member_widget(member_widget, order=30)
        dashboard.register_coop_widget(coop_widget, order=30)
        verifiers.register(verify_loans)
