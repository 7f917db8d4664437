from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "kopdig.ledger"
    label = "ledger"

    def ready(self):
        from kopdig.tenancy import nav

        nav.register(_("Jurnal"), "ledger:journal", roles=nav.READERS, order=60)
        nav.register(_("Buku besar"), "ledger:general_ledger", roles=nav.READERS, order=61)
        nav.register(_("Laporan"), "ledger:reports", roles=nav.READERS, order=62)
