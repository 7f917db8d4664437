from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "kopdig.market"
    label = "market"
    verbose_name = "Pasar daring"
