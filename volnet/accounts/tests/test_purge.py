"""The nightly purge (beat accounts.purge_expired): spent captcha codes past their expiry and expired database
sessions go, in batches; live ones stay, and a signed-in visitor stays signed in."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from volnet.accounts import purge
from volnet.accounts.models import SpentCaptcha
from volnet.accounts.tasks import purge_expired
from volnet.paging import delete_in_batches


def test_expired_captchas_and_sessions_go_and_live_ones_stay(volunteer_client, settings):
    assert settings.SESSION_ENGINE == purge.DATABASE_SESSIONS
    now = timezone.now()
    SpentCaptcha.objects.bulk_create([SpentCaptcha(key=f"old{n}", expires_at=now - dt.timedelta(minutes=n + 1))
                                      for n in range(7)])
    SpentCaptcha.objects.create(key="live", expires_at=now + dt.timedelta(minutes=5))
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=now - dt.timedelta(seconds=1))
    assert purge.purge_expired(now) == {"captchas": 7, "sessions": 1}
    assert list(SpentCaptcha.objects.values_list("key", flat=True)) == ["live"]
    assert volunteer_client.get(reverse("portal:home")).status_code == 200  # the live session stays
    purge_expired.delay()  # the beat task, run again: nothing left to do
    assert SpentCaptcha.objects.count() == 1 and Session.objects.count() == 1


def test_a_purge_goes_a_batch_at_a_time(db):
    now = timezone.now()
    SpentCaptcha.objects.bulk_create([SpentCaptcha(key=f"k{n}", expires_at=now - dt.timedelta(minutes=1))
                                      for n in range(5)])
    with CaptureQueriesContext(connection) as queries:
        assert delete_in_batches(SpentCaptcha.objects.filter(expires_at__lt=now), size=2) == 5
    deletes = [query["sql"] for query in queries if query["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2, 2 and 1
    assert not SpentCaptcha.objects.exists()
