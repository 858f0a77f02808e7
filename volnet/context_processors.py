from django.conf import settings
from django.utils.translation import gettext


def site(request):
    return {"SITE_NAME": gettext(settings.SITE_NAME), "DEBUG": settings.DEBUG}
