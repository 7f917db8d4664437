from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("k/<slug:slug>/", views.coop_home, name="coop_home"),
    path("k/<slug:slug>/saya/", views.member_home, name="member_home"),
]
