from django.apps import AppConfig


class DinasConfig(AppConfig):
    name = "kopdig.dinas"
    label = "dinas"
