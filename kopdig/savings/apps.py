from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "kopdig.savings"
    label = "savings"
