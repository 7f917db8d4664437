from django.conf import settings
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
