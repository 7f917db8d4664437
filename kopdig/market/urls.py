from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("pasar/", views.catalogue, name="catalogue"),
    path("pasar/sitemap.xml", views.sitemap, name="sitemap"),
    path("pasar/<slug:slug>/", views.coop, name="coop"),
    path("pasar/<slug:slug>/<slug:code>/", views.product, name="product"),
    path("pasar/<slug:slug>/<slug:code>/pesan/", views.inquiry, name="inquiry"),
    path("media/<path:path>", views.media, name="media"),
]
