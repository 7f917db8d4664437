from django.apps import AppConfig


class ShuConfig(AppConfig):
    name = "kopdig.shu"
    label = "shu"
    verbose_name = "SHU"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kopdig.tenancy import dashboard, nav

        nav.register(_("SHU"), "shu:index", roles=nav.READERS, order=60)
        dashboard.register_member_widget(member_widget, order=60)
        dashboard.register_coop_widget(coop_widget, order=60)


def member_widget(cooperative, user):
    """The member's own SHU (approved years) on the member's home page."""
    from kopdig.members.models import Member

    from .selectors import member_shares

    member = Member.objects.filter(cooperative=cooperative, user=user).first()
    if member is None:
        return None
    shares = member_shares(cooperative, member)
    if not shares:
        return None
    return {
        "title": "SHU",
        "template": "shu/_member_widget.html",
        "context": {"shares": shares[:3], "coop": cooperative},
    }


def coop_widget(cooperative, access):
    """Staff home: the latest SHU years and their status."""
    from kopdig.tenancy.access import READERS

    from .models import ShuYear

    if not (getattr(access, "dinas", False) or getattr(access, "role", None) in READERS):
        return None
    years = list(ShuYear.objects.filter(cooperative=cooperative).order_by("-year")[:3])
    if not years:
        return None
    return {
        "title": "SHU",
        "template": "shu/_coop_widget.html",
        "context": {"years": years, "coop": cooperative},
    }
