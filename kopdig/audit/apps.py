from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kopdig.audit"
    label = "audit"
    verbose_name = "Audit"
