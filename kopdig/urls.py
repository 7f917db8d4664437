from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kopdig.api.main import api
from kopdig.tenancy.views import KopdigLoginView

urlpatterns = [
    path("masuk/", KopdigLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kopdig.audit.urls")),
    path("", include("kopdig.ledger.urls")),
    path("", include("kopdig.members.urls")),
    path("", include("kopdig.savings.urls")),
    path("", include("kopdig.loans.urls")),
    path("", include("kopdig.shu.urls")),
    path("", include("kopdig.rat.urls")),
    path("", include("kopdig.usaha.urls")),
    path("", include("kopdig.market.urls")),
    path("", include("kopdig.health.urls")),
    path("dinas/", include("kopdig.dinas.urls")),
    path("", include("kopdig.programs.urls")),
    path("", include("kopdig.tenancy.urls")),
]

handler403 = "kopdig.tenancy.views.error_403"
handler404 = "kopdig.tenancy.views.error_404"
handler500 = "kopdig.tenancy.views.error_500"
