from django.urls import path

from . import views

app_name = "ledger"
P = "k/<slug:slug>/buku/"
urlpatterns = [
    path(P + "akun/", views.accounts, name="accounts"),
    path(P + "jurnal/", views.journal, name="journal"),
    path(P + "jurnal/baru/", views.entry_new, name="entry_new"),
    path(P + "jurnal/<str:number>/", views.entry_detail, name="entry"),
    path(P + "usulan/", views.drafts, name="drafts"),
    path(P + "usulan/<str:number>/", views.draft_detail, name="draft"),
    path(P + "laporan/", views.reports_index, name="reports"),
    path(P + "laporan/<slug:key>/", views.report, name="report"),
    path(P + "buku-besar/", views.general_ledger, name="general_ledger"),
    path(P + "buku-kas/", views.cash_book, name="cash_book"),
    path(P + "periode/", views.period_list, name="periods"),
    path(P + "saldo-awal/", views.opening, name="opening"),
    path(P + "impor/", views.journal_import, name="import"),
    path(P + "ekspor/", views.export, name="export"),
]
