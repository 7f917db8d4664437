from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse

from .access import ALL_COOP, coop_view, dinas_kabupaten_ids
from .demo_logins import demo_logins
from .models import Role


class KopdigLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["demo_logins"] = demo_logins()
        return ctx


@login_required
def home(request):
    """Send each user to the home page of their role."""
    user = request.user
    roles = list(Role.objects.filter(user=user).select_related("cooperative").order_by("cooperative__name"))
    has_dinas = bool(dinas_kabupaten_ids(user))
    if has_dinas and not roles:
        return redirect("dinas:home")
    if len(roles) == 1 and not has_dinas:
        return redirect(role_home_url(roles[0]))
    if not roles and user.is_superuser:
        return redirect("admin:index")
    return render(request, "tenancy/choose.html", {"roles": roles, "has_dinas": has_dinas})


def role_home_url(role: Role) -> str:
    if role.kind == Role.Kind.ANGGOTA:
        return reverse("member_home", args=[role.cooperative.slug])
    return reverse("coop_home", args=[role.cooperative.slug])


@coop_view(ALL_COOP - {"anggota"}, dinas_read=True)
def coop_home(request):
    from .dashboard import coop_dashboard

    return render(request, "tenancy/coop_home.html", {"widgets": coop_dashboard(request.coop, request.access)})


@coop_view({"anggota"})
def member_home(request):
    from .dashboard import member_dashboard

    return render(request, "tenancy/member_home.html", {"widgets": member_dashboard(request.coop, request.user)})
