from django.urls import path

from . import views

app_name = "usaha"
P = "k/<slug:slug>/usaha/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "kasir/", views.pos, name="pos"),
    path(P + "produk/", views.products, name="products"),
    path(P + "produk/baru/", views.product_new, name="product_new"),
    path(P + "produk/excel/", views.products_export, name="products_export"),
    path(P + "produk/impor/", views.products_import, name="products_import"),
    path(P + "produk/<slug:code>/", views.product_detail, name="product"),
    path(P + "produk/<slug:code>/ubah/", views.product_edit, name="product_edit"),
    path(P + "produk/<slug:code>/foto/", views.product_photo, name="product_photo"),
    path(P + "penjualan/", views.sales, name="sales"),
    path(P + "penjualan/<str:number>/", views.sale_detail, name="sale"),
    path(P + "penjualan/<str:number>/nota.pdf", views.sale_nota, name="sale_nota"),
    path(P + "penjualan/<str:number>/retur/", views.sale_return, name="sale_return"),
    path(P + "penjualan/<str:number>/bayar/", views.sale_pay, name="sale_pay"),
    path(P + "pembelian/", views.purchases, name="purchases"),
    path(P + "pembelian/<str:number>/bayar/", views.purchase_pay, name="purchase_pay"),
    path(P + "stok-opname/", views.stock_count, name="stock_count"),
    path(P + "titip-jual/", views.consignment, name="consignment"),
    path(P + "laporan/", views.report, name="report"),
    path(P + "pesanan/", views.inquiries, name="inquiries"),
    path(P + "profil/", views.profile, name="profile"),
    path(P + "saya/", views.my_sales, name="my_sales"),
    path("dinas/usaha/", views.dinas_turnover, name="dinas_turnover"),
]
