import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.utils import translation


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose otherwise (the language cookie set by /i18n/setlang/).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: offices
    share computers and phones set to English, and users expect Kopdig in Indonesian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ServerTimingMiddleware:
    """A ``Server-Timing`` header on every response: the time the app spent on the request
    (``app``: from entering this middleware to the response, template rendering included) and
    the database's share of it (``db``, with the number of statements as its description).

    On when ``KOPDIG_SERVER_TIMING`` is set (the benchmarks set it); off, Django drops the
    middleware at start-up and requests pay nothing. Streaming responses get the header when
    their first byte is ready, which is what the header can tell.
    """

    def __init__(self, get_response):
        if not getattr(settings, "KOPDIG_SERVER_TIMING", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = (
            f'app;dur={app_ms:.2f}, db;dur={timer.seconds * 1000:.2f};desc="{timer.count} queries"'
        )
        return response


class _QueryTimer:
    """An execute wrapper (django.db.connection.execute_wrapper) adding up statements and their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
