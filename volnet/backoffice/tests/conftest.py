import pytest


@pytest.fixture
def staff_client(client):
    """staff_client(user) → the test client signed in as `user` through the staff door."""

    def sign_in(user):
        client.force_login(user)
        session = client.session
        session["volnet_site"] = "backoffice"
        session.save()
        return client

    return sign_in


@pytest.fixture
def browser_context_args(browser_context_args):
    # A Taiwanese phone asks for zh-TW; Django's own messages ("這個欄位是必須的") follow the browser.
    return {**browser_context_args, "locale": "zh-TW"}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the site's default language, so an English request in one test never
    leaks into the next one run by the same thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
