from django.urls import path

from . import views

app_name = "shu"
P = "k/<slug:slug>/shu/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "<int:year>/", views.year_detail, name="year"),
    path(P + "<int:year>/hitung/", views.recompute, name="recompute"),
    path(P + "<int:year>/excel/", views.export, name="export"),
    path(P + "<int:year>/tutup-buku/", views.close, name="close"),
    path(P + "<int:year>/buka-kembali/", views.reopen, name="reopen"),
    path(P + "<int:year>/keputusan-rat/", views.approve, name="approve"),
    path(P + "<int:year>/alokasi/", views.allocate, name="allocate"),
    path(P + "<int:year>/bagikan/", views.distribute, name="distribute"),
    path(P + "<int:year>/volume/", views.volumes, name="volumes"),
    path(P + "<int:year>/volume/contoh.xlsx", views.volume_template, name="volume_template"),
    path(P + "<int:year>/anggota/<str:number>/bayar/", views.pay, name="pay"),
    path(P + "<int:year>/anggota/<str:number>/slip.pdf", views.slip, name="slip"),
]
