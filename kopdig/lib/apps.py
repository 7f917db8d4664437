from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "kopdig.lib"
    label = "kopdig_lib"
    verbose_name = "Kopdig library"
