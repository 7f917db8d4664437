from django.urls import path

from . import views

app_name = "network"
D = "dinas/jejaring/"
K = "k/<slug:slug>/jejaring/"
urlpatterns = [
    path(K, views.coop_home, name="coop_home"),
    path(K + "kebutuhan/<str:code>/", views.coop_matches, name="coop_matches"),
    path(K + "kebutuhan/<str:code>/usul/", views.coop_propose, name="coop_propose"),
    path(K + "perkenalan/<str:code>/", views.coop_answer, name="coop_answer"),
    path(K + "kerja-sama/<str:code>/", views.coop_agreement, name="coop_agreement"),
    path(D, views.dinas_home, name="dinas_home"),
    path(D + "kebutuhan/<str:code>/", views.dinas_matches, name="dinas_matches"),
    path(D + "perkenalan/<str:code>/", views.dinas_answer, name="dinas_answer"),
    path(D + "kerja-sama/", views.agreements, name="agreements"),
    path(D + "kerja-sama/<str:code>/", views.agreement, name="agreement"),
    path(D + "kerja-sama/<str:code>/status/", views.agreement_status, name="agreement_status"),
    path(D + "kerja-sama/<str:code>/realisasi/", views.agreement_realisation, name="agreement_realisation"),
    path(D + "kerja-sama/<str:code>/evaluasi/<int:months>/", views.evaluation, name="evaluation"),
    path(D + "evaluasi/", views.evaluations_due, name="evaluations_due"),
    path(D + "temu-usaha/", views.meetings, name="meetings"),
    path(D + "temu-usaha/<str:code>/", views.meeting, name="meeting"),
    path(D + "temu-usaha/<str:code>/evaluasi/", views.network_report, name="network_report"),
    path(D + "graf/", views.network_graph, name="graph"),
]
