from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """French unless the person chose another language with the language switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show an
    English interface to French buyers whose browsers happen to be set up in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
