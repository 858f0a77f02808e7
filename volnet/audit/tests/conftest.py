import pytest


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the site's default language: the language middleware activates the
    reader's choice for the thread and leaves it on, so an English request would leak into later tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
