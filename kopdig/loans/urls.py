from django.urls import path

from . import views

app_name = "loans"
P = "k/<slug:slug>/pinjaman/"
urlpatterns = [
    path(P, views.loan_list, name="list"),
    path(P + "baru/", views.apply, name="apply"),
    path(P + "simulasi/", views.preview, name="preview"),
    path(P + "produk/", views.product_list, name="products"),
    path(P + "produk/baru/", views.product_edit, name="product_new"),
    path(P + "produk/<str:code>/", views.product_edit, name="product_edit"),
    path(P + "pengaturan/", views.settings_edit, name="settings"),
    path(P + "tunggakan/", views.arrears, name="arrears"),
    path(P + "portofolio/", views.portfolio, name="portfolio"),
    path(P + "kuitansi/<str:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path(P + "<str:number>/", views.loan_detail, name="detail"),
    path(P + "<str:number>/perjanjian.pdf", views.agreement_pdf, name="agreement_pdf"),
    path(P + "<str:number>/kartu.pdf", views.loan_card_pdf, name="card_pdf"),
    path(P + "<str:number>/aksi/<str:name>/", views.loan_action, name="action"),
]
