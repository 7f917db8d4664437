from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from kopdig.lib.tokens import new_secret


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def new_raw() -> str:
        return new_secret()


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key (or a form's one-time token), scoped to user + cooperative + endpoint.

    Kept 24 hours. The row is inserted, the write runs and its response is stored in one
    transaction (``api.idempotency.run_once``); a retry with the same body gets the stored
    response and writes nothing; the same key with another body is 422.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=120)
    key = models.CharField(max_length=120)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)  # set in the transaction that inserts the row
    response = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "user", "endpoint", "key"], name="idempotency_unique"
            )
        ]
