from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "kopdig.savings"
    label = "savings"
    verbose_name = "Simpanan"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.ledger import verifiers
        from kopdig.tenancy import dashboard, nav

        from . import views
        from .verify import verify_savings

        nav.register(_("Kasir simpanan"), "savings:teller", roles=nav.STAFF, order=20)
        nav.register(_("Laporan simpanan"), "savings:reports", roles=nav.READERS, order=22)
        nav.register(_("Proses bulanan"), "savings:runs", roles=nav.APPROVERS | {"pengawas"}, order=24)
        nav.register(_("Produk simpanan"), "savings:products", roles=nav.READERS, order=26)
        nav.register(_("Simpanan saya"), "savings:mine", roles={"anggota"}, order=20)
        dashboard.register_coop_widget(views.coop_widget, order=10)
        dashboard.register_member_widget(views.member_widget, order=10)
        verifiers.register(verify_savings)
