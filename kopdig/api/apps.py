from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kopdig.api"
    label = "api"
    verbose_name = "API"
