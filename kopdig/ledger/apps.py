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

        from kopdig.tenancy.dashboard import register_coop_widget

        register_coop_widget(_books_widget, order=20)


def _books_widget(cooperative, access):
    """Home-page card: cash, total assets and SHU of the book year to date."""
    from django.utils import timezone

    from kopdig.tenancy import nav

    if not cooperative.on_kopdig or not (access.dinas or access.role in nav.READERS):
        return None
    from .statements import statement_totals

    totals = statement_totals(cooperative, timezone.localdate())
    return {"title": _("Pembukuan"), "template": "ledger/_widget.html", "context": totals}
