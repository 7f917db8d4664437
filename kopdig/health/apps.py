from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "kopdig.health"
    label = "health"
    verbose_name = "Kesehatan koperasi"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.tenancy import dashboard, nav

        nav.register(_("Pemeriksaan kesehatan"), "health:dinas_index", dinas=True, order=40)
        nav.register(
            _("Kesehatan koperasi"), "health:coop_index", roles={"pengurus", "manajer", "pengawas"}, order=70
        )
        dashboard.register_coop_widget(coop_widget, order=70)


def coop_widget(cooperative, access):
    """Staff home: the latest published health result and the open follow-ups."""
    from django.utils import timezone

    from .selectors import examinations_of, followups_for_coop

    if getattr(access, "dinas", False) or getattr(access, "role", None) not in (
        "pengurus",
        "manajer",
        "pengawas",
    ):
        return None
    latest = examinations_of(cooperative, published_only=True).first()
    if latest is None:
        return None
    open_ = [f for f in followups_for_coop(cooperative) if f.status != "done"]
    return {
        "title": "Kesehatan",
        "template": "health/_coop_widget.html",
        "context": {
            "exam": latest,
            "coop": cooperative,
            "open": len(open_),
            "overdue": sum(1 for f in open_ if f.is_overdue(timezone.localdate())),
        },
    }
