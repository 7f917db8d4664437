from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditLog(models.Model):
    """Who did what, when, in which cooperative (or kabupaten), with before/after values."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(
        "tenancy.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kabupaten = models.ForeignKey(
        "tenancy.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)  # the action function's name, e.g. savings_deposit
    object_type = models.CharField(max_length=60, blank=True)
    object_ref = models.CharField(max_length=80, blank=True)  # business number or code, never a db id
    summary = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["cooperative", "-at"]),
            models.Index(fields=["kabupaten", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_ref}"
