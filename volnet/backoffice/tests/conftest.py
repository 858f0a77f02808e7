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
