"""Which language a page is in: Traditional Chinese unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language. We do not: the manual, the
record book and every unit's paperwork are in Chinese, and a volunteer whose phone happens to be set
to English should still see the words their 志工督導 uses. English is a deliberate choice, made with
the switch in the footer (Django's set_language view, which stores it in a cookie).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request):
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        # override(), not activate(): the thread goes back to the default once the response is made,
        # so work done outside a request (commands, mail queues, tests) never inherits a visitor's choice.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
