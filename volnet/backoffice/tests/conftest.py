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
