from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "kopdig.ledger"
    label = "ledger"
