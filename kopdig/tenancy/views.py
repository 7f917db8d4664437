from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import ALL_COOP, coop_view, dinas_kabupaten_ids
from .dashboard import coop_dashboard, member_dashboard
from .demo_logins import demo_logins
from .models import Role


class LoginForm(AuthenticationForm):
    """Django's message names the username field inside a sentence that already says it
    ("nama pengguna nama pengguna"): one plain sentence instead."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."
        ),
    }


class KopdigLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
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
    return render(
        request, "tenancy/coop_home.html", {"widgets": coop_dashboard(request.coop, request.access)}
    )


@coop_view({"anggota"})
def member_home(request):
    return render(
        request, "tenancy/member_home.html", {"widgets": member_dashboard(request.coop, request.user)}
    )


# --- error pages (kopdig/urls.py handler403/404/500): in the layout, in the user's language -------
def _error(request, status, title, explanation):
    ctx = {"status": status, "title": title, "explanation": explanation}
    return render(request, f"{status}.html", ctx, status=status)


def error_403(request, exception=None):
    return _error(
        request,
        403,
        _("Anda tidak berhak membuka halaman ini"),
        _("Halaman ini tidak tersedia untuk peran Anda di koperasi ini."),
    )


def error_404(request, exception=None):
    return _error(
        request,
        404,
        _("Halaman tidak ditemukan"),
        _("Alamat ini tidak ada, atau datanya tidak dapat Anda lihat."),
    )


def error_500(request):
    return _error(
        request,
        500,
        _("Terjadi kesalahan di server"),
        _(
            "Permintaan Anda tidak dapat diselesaikan. Coba lagi sebentar lagi; bila terus terjadi, "
            "hubungi pengurus koperasi."
        ),
    )
