from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("k/<slug:slug>/audit/", views.coop_log, name="coop_log"),
    path("dinas/audit/", views.dinas_log, name="dinas_log"),
]
