from django.utils import timezone
from ninja.security import HttpBearer

from kopdig.lib.tokens import hash_token

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=hash_token(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user
