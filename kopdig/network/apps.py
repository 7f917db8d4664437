from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "listing_save": _("Penawaran/kebutuhan jejaring disimpan"),
    "introduction_propose": _("Perkenalan jejaring diusulkan"),
    "introduction_answer": _("Perkenalan jejaring dijawab"),
    "trade_agreement_create": _("Kerja sama dicatat"),
    "trade_agreement_status": _("Status kerja sama diubah"),
    "realisation_report": _("Realisasi kerja sama dilaporkan"),
    "evaluation_record": _("Evaluasi kerja sama dicatat"),
}


class NetworkConfig(AppConfig):
    name = "kopdig.network"
    label = "network"
    verbose_name = "Jejaring usaha"

    def ready(self):
        from kopdig.audit import labels
        from kopdig.tenancy import nav

        nav.register(_("Jejaring usaha"), "network:dinas_home", dinas=True, order=50)
        nav.register(_("Jejaring usaha"), "network:coop_home", roles={"pengurus", "manajer"}, order=87)
        for action, label in AUDIT_LABELS.items():
            labels.register(action, label)
