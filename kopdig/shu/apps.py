from django.apps import AppConfig


class ShuConfig(AppConfig):
    name = "kopdig.shu"
    label = "shu"
