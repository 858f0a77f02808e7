"""A session ends after 30 idle minutes, and 12 hours after signing in whatever the activity: on a clock
the tests move (time-machine), through the real sign-in pages."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from volnet.accounts.models import SignInEvent

from .helpers import login_data, text

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
EXPIRED = "您登入已超過 12 小時，為保護帳號安全，請重新登入。"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def busy_until(client, clock, page, hours):
    """A request every 25 minutes (never idle long enough to time out) until `hours` after sign-in."""
    elapsed = dt.timedelta(0)
    while elapsed + dt.timedelta(minutes=25) < dt.timedelta(hours=hours):
        clock.shift(dt.timedelta(minutes=25))
        elapsed += dt.timedelta(minutes=25)
        response = client.get(page)
        assert response.status_code == 200, (elapsed, response.get("Location"))
    clock.move_to(START + dt.timedelta(hours=hours))


def test_a_busy_volunteer_is_signed_out_twelve_hours_after_signing_in(client, volunteer, test_captcha, clock):
    assert client.post("/accounts/login/", login_data())["Location"] == "/me/"
    busy_until(client, clock, "/me/", 12)
    response = client.get("/me/services/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/services/%3Fpage%3D2"
    page = client.get(response["Location"])
    assert EXPIRED in text(page)
    assert "_auth_user_id" not in client.session
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
    assert SignInEvent.objects.filter(user=volunteer).latest("at").result == SignInEvent.Result.LOGOUT
    # signing in again starts a new 12 hours
    assert client.post("/accounts/login/?next=/me/services/", login_data())["Location"] == "/me/services/"
    clock.shift(dt.timedelta(minutes=20))
    assert client.get("/me/").status_code == 200


def test_a_busy_staff_member_goes_back_to_the_staff_sign_in(client, supervisor_a, test_captcha, clock):
    assert client.post("/accounts/staff/login/", login_data("B223456782"))["Location"] == "/backoffice/"
    busy_until(client, clock, "/backoffice/", 12)
    response = client.post("/backoffice/services/add/", {"hours": "3"})
    assert response.status_code == 302 and response["Location"] == "/accounts/staff/login/"
    assert EXPIRED in text(client.get(response["Location"]))
    assert client.get("/backoffice/").status_code == 302


def test_the_last_minute_before_the_limit_still_works(client, volunteer, test_captcha, clock):
    client.post("/accounts/login/", login_data())
    busy_until(client, clock, "/me/", 12)
    clock.shift(dt.timedelta(seconds=-60))
    assert client.get("/me/").status_code == 200


def test_the_limit_is_a_setting(client, volunteer, test_captcha, clock, settings):
    settings.SESSION_ABSOLUTE_AGE = 2 * 60 * 60
    client.post("/accounts/login/", login_data())
    busy_until(client, clock, "/me/", 2)
    response = client.get("/me/", follow=True)
    assert "您登入已超過 2 小時，為保護帳號安全，請重新登入。" in text(response)


def test_thirty_idle_minutes_still_end_a_session(client, volunteer, test_captcha, clock):
    client.post("/accounts/login/", login_data())
    clock.shift(dt.timedelta(minutes=29))
    assert client.get("/me/").status_code == 200
    clock.shift(dt.timedelta(minutes=31))
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
    assert timezone.now() == START + dt.timedelta(minutes=60)
