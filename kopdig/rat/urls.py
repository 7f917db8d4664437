from django.urls import path

from . import views

app_name = "rat"
P = "k/<slug:slug>/rat/"
M = P + "<str:code>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "aturan/", views.rules, name="rules"),
    path(M, views.meeting, name="meeting"),
    path(M + "umumkan/", views.publish, name="publish"),
    path(M + "buka/", views.open_meeting, name="open"),
    path(M + "tunda/", views.postpone, name="postpone"),
    path(M + "tutup/", views.close, name="close"),
    path(M + "acara/", views.item_add, name="item_add"),
    path(M + "acara/<str:item>/buka/", views.item_open, name="item_open"),
    path(M + "acara/<str:item>/putuskan/", views.item_close, name="item_close"),
    path(M + "acara/<str:item>/hitung/", views.item_totals, name="item_totals"),
    path(M + "hadir/", views.desk, name="desk"),
    path(M + "berhak-suara/", views.eligibility, name="eligibility"),
    path(M + "laporan/", views.report, name="report"),
    path(M + "laporan/bagian/", views.section_save, name="section_save"),
    path(M + "laporan/siap/", views.report_ready, name="report_ready"),
    path(M + "rapb/", views.rapb_save, name="rapb_save"),
    path(M + "undangan.pdf", views.letters, name="letters"),
    path(M + "undangan/<str:number>/wa/", views.whatsapp, name="whatsapp"),
    path(M + "surat-suara/", views.ballot, name="ballot"),
    path(M + "berita-acara.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(M + "buku-rat.pdf", views.book_pdf, name="book_pdf"),
    path("rat/<slug:slug>/<str:token>/", views.token_ballot, name="token_ballot"),
    path("rat/<slug:slug>/<str:token>/laporan/", views.token_report, name="token_report"),
]
