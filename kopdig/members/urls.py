from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("k/<slug:slug>/anggota/", views.member_list, name="list"),
    path("k/<slug:slug>/anggota/baru/", views.member_admit, name="admit"),
    path("k/<slug:slug>/anggota/impor/", views.member_import, name="import"),
    path("k/<slug:slug>/anggota/cari/", views.member_search, name="search"),
    path("k/<slug:slug>/anggota/<str:number>/", views.member_detail, name="detail"),
    path("k/<slug:slug>/anggota/<str:number>/ubah/", views.member_edit, name="edit"),
    path("k/<slug:slug>/anggota/<str:number>/kartu.pdf", views.member_card, name="card"),
    path("k/<slug:slug>/anggota/<str:number>/keluar/", views.member_exit, name="exit"),
    path("k/<slug:slug>/anggota/<str:number>/aktifkan/", views.member_activate, name="activate"),
    path("k/<slug:slug>/anggota/<str:number>/login/", views.member_login, name="login"),
]
