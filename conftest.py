"""Shared test fixtures: the personas every test file may use, a real SMTP server, Chromium, English.

Personas: a volunteer, a supervisor of unit A, a supervisor of unit B, an authority clerk.
"""

import datetime as dt
import os
import re
import threading
from decimal import Decimal

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis: no per-example deadline (its 200 ms flakes when six processes share two cores; a slow example
# is a benchmark's business, not a property's). CI (.ci/run sets HYPOTHESIS_PROFILE=ci) also derandomizes,
# so a red run is the same examples when run again; at a desk each run explores new ones.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PASSWORD = "Correct-Horse-42"

IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# The footer's switch back to Chinese names Chinese in Chinese on purpose, as may any other single inline
# element marked lang="zh-Hant-TW" (the same exemption as the translation guard's).
OFFERED_IN_CHINESE = re.compile(r"""<(button|a|span|option)\b[^>]*\blang="zh-Hant-TW"[^>]*>[^<]*</\1>""")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def authority(db):
    from volnet.units.models import Authority

    return Authority.objects.create(code="TXG-SOC", name="臺中市政府社會局")


@pytest.fixture
def other_authority(db):
    from volnet.units.models import Authority

    return Authority.objects.create(code="TPE-SOC", name="臺北市政府社會局")


@pytest.fixture
def unit_a(authority):
    from volnet.units.models import Unit

    return Unit.objects.create(code="2-299", name="臺中市樂樂發展協會-樂樂志工隊(測試用)", authority=authority)


@pytest.fixture
def unit_b(authority):
    from volnet.units.models import Unit

    return Unit.objects.create(code="1-187", name="臺中市志願服務推廣中心志工隊", authority=authority)


def all_at_once(task, threads):
    """Real concurrency for race tests: `task()` in `threads` threads, each with its own database connection
    (PostgreSQL under DATABASE_URL, else SQLite; the test needs django_db(transaction=True)), released
    together by a barrier. Returns what each returned; fails the test if any raised."""
    from django.db import connection

    barrier = threading.Barrier(threads)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(task())
        except Exception as error:  # reported below; a thread must not die silently
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert len(results) == threads, "a thread did not finish"
    return results


def make_person(national_id, name, **extra):
    from volnet.accounts.models import User

    extra.setdefault("birth_date", dt.date(1981, 5, 20))
    return User.objects.create_user(national_id, extra.pop("password", PASSWORD), name=name, **extra)


@pytest.fixture
def volunteer(unit_a):
    from volnet.units.models import Membership

    person = make_person("E122333441", "測試熊", email="bear@example.tw", sex="M")
    Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2021, 5, 1))
    return person


@pytest.fixture
def other_volunteer(unit_b):
    from volnet.units.models import Membership

    person = make_person("F135792464", "陳大同", birth_date=dt.date(1971, 1, 15), sex="M")
    Membership.objects.create(volunteer=person, unit=unit_b, joined_on=dt.date(2023, 6, 1))
    return person


def _staff(national_id, name, role, unit=None, authority=None):
    from volnet.units.models import StaffRole

    person = make_person(national_id, name, email=f"{national_id.lower()}@example.tw")
    StaffRole.objects.create(user=person, role=role, unit=unit, authority=authority)
    return person


@pytest.fixture
def supervisor_a(unit_a):
    return _staff("B223456782", "何小倫", "supervisor", unit=unit_a)


@pytest.fixture
def supervisor_b(unit_b):
    return _staff("B122334454", "何銘倫", "supervisor", unit=unit_b)


@pytest.fixture
def authority_clerk(authority):
    return _staff("A298765437", "林美玲", "authority_staff", authority=authority)


@pytest.fixture
def service_record(volunteer, unit_a, supervisor_a):
    """Factory: service_record(hours="3.5", start=date, end=date, unit=…, item=…, content=…)."""
    from volnet.records.models import ServiceRecord

    def make(hours="2", start=dt.date(2025, 3, 1), end=None, unit=None, item="綜合服務", content="電話問安", **extra):
        return ServiceRecord.objects.create(
            volunteer=extra.pop("volunteer", volunteer),
            unit=unit or unit_a,
            registrant=extra.pop("registrant", supervisor_a),
            service_item=item,
            content=content,
            start_date=start,
            end_date=end or start,
            hours=Decimal(hours),
            **extra,
        )

    return make


@pytest.fixture
def clock():
    """The clock of the test (time-machine): it starts now and stands still until the test moves it
    (`clock.shift(dt.timedelta(minutes=15))`, `clock.move_to(...)`), for Python, Django and the caches alike.
    Lockouts, throttle windows, expiring links and codes are tested on it, never by waiting."""
    import time_machine

    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def demo(db):
    """The manual's demo data, exactly as `make run` loads it."""
    from django.core.management import call_command

    call_command("seed_demo", quiet=True)


@pytest.fixture
def bear(demo):
    """The manual's demo volunteer 測試熊 (16 service records, a record book, a photo), loaded by seed_demo."""
    from volnet.accounts.models import User

    return User.objects.get(national_id="E122333441")


@pytest.fixture
def bear_client(client, bear):
    client.force_login(bear)
    return client


@pytest.fixture
def volunteer_client(client, volunteer):
    client.force_login(volunteer)
    return client


@pytest.fixture(scope="session")
def mail_server():
    from volnet.lib.mailsink import MailSink

    with MailSink() as sink:
        yield sink


@pytest.fixture
def mailbox(mail_server, settings):
    """A real SMTP server on loopback; Django sends to it. Returns the sink (messages, wait_for)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mail_server.host
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_USE_TLS = False
    mail_server.clear()
    yield mail_server
    mail_server.clear()


@pytest.fixture(scope="session")
def _celery_worker_process(mail_server, django_db_setup, django_db_blocker):
    from django.db import connection

    from volnet.tests.celeryworker import Worker, database_url, redis_server

    with redis_server() as broker:
        worker = Worker(broker, database_url(connection.settings_dict), mail_server.port)
        yield worker
        worker.stop()


@pytest.fixture
def celery_worker(_celery_worker_process, transactional_db, mailbox):
    """A real `celery worker` (its own Redis, the test database, the `mailbox` SMTP server), and tasks this test
    queues go to it instead of running eagerly. The test's writes are committed (transactional_db) so the worker
    sees them. `.kill()` is kill -9; the next test gets a fresh worker. volnet/tests/celeryworker.py."""
    from volnet.tests.celeryworker import queue_to

    worker = _celery_worker_process
    if not worker.alive():
        worker.start()
    with queue_to(worker):
        yield worker


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium; never `playwright install` (it downloads from outside the registries).
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def test_captcha(settings):
    """Every captcha accepts "PASSED" (the VOLNET_TEST_CAPTCHA switch), for browser tests."""
    settings.TEST_CAPTCHA = True
    return "PASSED"


@pytest.fixture
def admin_user(db):
    """pytest-django's admin_client uses this; our accounts are keyed by ID number."""
    from volnet.accounts.models import User

    return User.objects.create_superuser("A123456789", PASSWORD)


@pytest.fixture
def admin_client(client, admin_user):
    """A superuser's session that passed the second factor, as /admin/ requires (accounts.adminsite)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in_page(page, live_server, client, settings):
    """sign_in(user) → the Playwright page, already signed in as `user` (no login form involved)."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return sign_in


@pytest.fixture(autouse=True)
def _eligibility_rules(request):
    """A transactional test (live_server, threads) flushes every table at its end, the rule table that
    a data migration wrote included. Put the rules back for every later test that uses the database."""
    from volnet.eligibility.tests.builders import rule_table

    rule_table(request)


@pytest.fixture(autouse=True)
def _on_commit_as_in_production():
    """Mail and tasks are queued from transaction.on_commit: run those callbacks when production would
    (volnet/tests/oncommit.py), so that a test sees the mail its request queued."""
    from volnet.tests.oncommit import as_in_production

    with as_in_production():
        yield


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """Some tests activate a language themselves; the tests after them must read the site's default."""
    yield
    from django.utils import translation

    translation.deactivate()


def in_english(client):
    """English is a choice kept in a cookie (the browser's Accept-Language is ignored): make it for `client`."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_page(page, live_server):
    """The Chromium page of a visitor who chose English, as in_english() for the test client."""
    from django.conf import settings

    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    return page


def ideographs(html):
    """What Chinese an English page still holds: only the switch back to Chinese may be in Chinese."""
    return IDEOGRAPH.findall(OFFERED_IN_CHINESE.sub("", html))
