from django.urls import path

from . import views

app_name = "savings"
urlpatterns = [
    path("k/<slug:slug>/simpanan/", views.teller, name="teller"),
    path("k/<slug:slug>/simpanan/anggota/<str:number>/", views.teller_member, name="teller_member"),
    path("k/<slug:slug>/simpanan/anggota/<str:number>/buka/", views.open_sukarela, name="open_sukarela"),
    path(
        "k/<slug:slug>/simpanan/anggota/<str:number>/berjangka/",
        views.time_deposit_open,
        name="time_deposit_open",
    ),
    path("k/<slug:slug>/simpanan/kuitansi/<str:number>/", views.receipt, name="receipt"),
    path("k/<slug:slug>/simpanan/rekening/<str:number>/", views.passbook, name="passbook"),
    path(
        "k/<slug:slug>/simpanan/rekening/<str:number>/cairkan/",
        views.time_deposit_break,
        name="time_deposit_break",
    ),
    path("k/<slug:slug>/simpanan/produk/", views.products, name="products"),
    path("k/<slug:slug>/simpanan/produk/bawaan/", views.products_setup, name="products_setup"),
    path("k/<slug:slug>/simpanan/produk/<slug:code>/", views.product_edit, name="product_edit"),
    path("k/<slug:slug>/simpanan/proses/", views.run_list, name="runs"),
    path("k/<slug:slug>/simpanan/potong-gaji/", views.payroll, name="payroll"),
    path("k/<slug:slug>/simpanan/laporan/", views.reports, name="reports"),
    path("k/<slug:slug>/saya/simpanan/", views.my_savings, name="mine"),
]
