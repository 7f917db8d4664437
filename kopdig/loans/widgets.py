"""Home-page widgets: the member's own loans, the cooperative's loan portfolio at a glance."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import ZERO
from kopdig.members.models import Member

from .models import Loan
from .selectors import member_loans


def member_widget(cooperative, user):
    member = Member.objects.filter(cooperative=cooperative, user=user).first()
    if member is None:
        return None
    rows = member_loans(cooperative, member)
    if not rows:
        return None
    return {
        "title": _("Pinjaman saya"),
        "template": "loans/widget_member.html",
        "rows": rows,
        "coop": cooperative,
    }


def coop_widget(cooperative, access):
    if getattr(access, "role", None) not in ("pengurus", "manajer", "kasir", "pengawas") and not getattr(
        access, "dinas", False
    ):
        return None
    agg = Loan.objects.filter(cooperative=cooperative, status=Loan.Status.ACTIVE).aggregate(
        n=Count("id"), s=Sum("outstanding")
    )
    if not agg["n"]:
        return None
    late = Loan.objects.filter(
        cooperative=cooperative, status=Loan.Status.ACTIVE, days_past_due__gt=30
    ).aggregate(n=Count("id"), s=Sum("outstanding"))
    return {
        "title": _("Pinjaman"),
        "template": "loans/widget_coop.html",
        "n": agg["n"],
        "outstanding": agg["s"] or ZERO,
        "late_n": late["n"],
        "late": late["s"] or ZERO,
        "coop": cooperative,
    }
