from django.urls import path

from . import views

app_name = "dinas"
urlpatterns = [
    path("", views.home, name="home"),
]
