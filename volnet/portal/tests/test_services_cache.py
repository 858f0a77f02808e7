"""The cached 服務時數 page: right for its volunteer, fresh after any change, a live CSRF token."""

import datetime as dt
import re

import pytest
from django.test import Client

from conftest import PASSWORD
from volnet.portal.tests.html import text
from volnet.portal.views import CSRF_SLOT

pytestmark = pytest.mark.django_db
URL = "/me/services/?tab=services"


def _token(content):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode()).group(1)


def test_each_cached_response_carries_a_working_csrf_token(volunteer, service_record):
    service_record(start=dt.date(2025, 1, 1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    first = client.get(URL).content
    second = client.get(URL).content  # served from the cache
    assert CSRF_SLOT not in first.decode() and CSRF_SLOT not in second.decode()
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": _token(second)})
    assert response.status_code in (200, 302)
    assert client.get(URL).status_code == 302  # signed out


def test_a_flash_message_is_shown_once_and_the_page_stays_right(volunteer_client, service_record):
    service_record(start=dt.date(2025, 1, 1), content="我的第一筆")
    volunteer_client.get(URL)  # cached without a message
    session_message = volunteer_client.post("/me/profile/", {"phone": "04-2222-3333", "email": "bear@example.tw",
                                                               "current_password": PASSWORD})
    assert session_message.status_code == 302
    shown = text(volunteer_client.get(URL).content)
    assert "聯絡資料已儲存" in shown and "我的第一筆" in shown
    again = text(volunteer_client.get(URL).content)
    assert "聯絡資料已儲存" not in again and "我的第一筆" in again


def test_a_new_name_shows_at_once(volunteer_client, volunteer):
    volunteer_client.get(URL)
    volunteer.name = "測試熊改"
    volunteer.save()
    assert "測試熊改 您好" in text(volunteer_client.get(URL).content)


def test_with_the_cache_switched_off_every_request_reads_the_records(volunteer_client, service_record, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PORTAL_HOURS_CACHE_SECONDS = 0
    service_record(start=dt.date(2025, 1, 1), content="沒有快取")
    volunteer_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        content = volunteer_client.get(URL).content
    assert "沒有快取" in text(content)
    assert any("SUM" in q["sql"] and "GROUP BY" in q["sql"] for q in queries.captured_queries)  # yearly totals
