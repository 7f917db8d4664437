from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
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


LOCKED_OUT = "Terlalu banyak percobaan masuk. Coba lagi nanti."


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): JSON 429 on the API,
    the lockout page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_OUT}, status=429)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=429)
