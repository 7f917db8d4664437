from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "kopdig.loans"
    label = "loans"
