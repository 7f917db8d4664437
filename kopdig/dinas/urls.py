from django.urls import path

from . import views

app_name = "dinas"
urlpatterns = [
    path("", views.home, name="home"),
    path("koperasi/", views.coop_list, name="coop_list"),
    path("koperasi/baru/", views.coop_register, name="coop_register"),
    path("koperasi/impor/", views.coop_import, name="coop_import"),
    path("koperasi/impor/format.xlsx", views.import_template, name="import_template"),
    path("koperasi/<slug:slug>/", views.coop_detail, name="coop_detail"),
    path("koperasi/<slug:slug>/ubah/", views.coop_edit, name="coop_edit"),
    path("koperasi/<slug:slug>/undang/", views.coop_invite, name="coop_invite"),
    path("koperasi/<slug:slug>/pengurus/", views.officer_add, name="officer_add"),
    path("koperasi/<slug:slug>/pengurus/<str:code>/hapus/", views.officer_delete, name="officer_delete"),
    path("koperasi/<slug:slug>/karyawan/", views.staff_add, name="staff_add"),
    path("koperasi/<slug:slug>/karyawan/<str:code>/hapus/", views.staff_delete, name="staff_delete"),
    path("koperasi/<slug:slug>/rat/", views.rat_add, name="rat_add"),
    path("koperasi/<slug:slug>/rat/<int:year>/hapus/", views.rat_delete, name="rat_delete"),
    path("koperasi/<slug:slug>/status/", views.status_confirm, name="status_confirm"),
    path("koperasi/<slug:slug>/tahunan/<int:year>/", views.annual_edit, name="annual_edit"),
    path("data-tahunan/", views.annual_latest, name="annual_latest"),
    path("data-tahunan/<int:year>/", views.annual_year, name="annual_year"),
    path("rat/", views.rat_page, name="rat"),
    path("pengaturan/", views.settings_page, name="settings"),
    path("undangan/<str:token>/", views.invitation, name="invitation"),
    path("lapor/<slug:slug>/", views.coop_report, name="coop_report"),
    path("lapor/<slug:slug>/karyawan/", views.coop_report_staff, name="coop_report_staff"),
    path(
        "lapor/<slug:slug>/karyawan/<str:code>/hapus/",
        views.coop_report_staff_delete,
        name="coop_report_staff_delete",
    ),
    path("lapor/<slug:slug>/tahunan/<int:year>/", views.coop_report_annual, name="coop_report_annual"),
]
