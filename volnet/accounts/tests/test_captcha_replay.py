"""A solved captcha is spent once, even when the same answer arrives in many requests at the same instant.

Real concurrency: 20 threads, each a separate browser (its own test client, so its own database
connection) carrying the same session cookie and the same solved code, released together by a barrier.
It runs on the suite's database (SQLite, or PostgreSQL under DATABASE_URL) in both production set-ups:
sessions in the database with the local-memory cache, and sessions and cache in Redis (REDIS_URL).
"""

import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client

from conftest import PASSWORD, all_at_once

from .helpers import captcha_key, real_code

THREADS = 20
REDIS_LOCATION = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_store(settings):
    """Cache and sessions in the machine's Redis, under a key prefix no other test run shares."""
    import redis

    client = redis.Redis.from_url(REDIS_LOCATION)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer at {REDIS_LOCATION}: {error}")
    prefix = f"volnet-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_LOCATION, "KEY_PREFIX": prefix}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    yield
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["database", "redis"])
def session_store(request):
    if request.param == "redis":
        request.getfixturevalue("redis_store")
    return request.param


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_sign_ins_with_one_solved_captcha_get_at_most_one_through(session_store, volunteer):
    owner = Client()
    key = captcha_key(owner.get("/accounts/login/"))
    code = real_code(owner, key)
    cookie = owner.cookies[django_settings.SESSION_COOKIE_NAME].value
    form = {"national_id": volunteer.national_id, "password": PASSWORD, "captcha_key": key, "captcha": code}

    def sign_in():
        browser = Client()
        browser.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        response = browser.post("/accounts/login/", form)
        return response.status_code

    statuses = all_at_once(sign_in, THREADS)
    signed_in = statuses.count(302)
    assert signed_in <= 1, f"{signed_in} of {THREADS} requests got through with one captcha ({session_store})"
    assert signed_in == 1, "the person who solved the captcha was refused"
    # The others were turned away without a crash: the form again with the captcha error (200), or, when
    # the winner's sign-in had already replaced the session they carried, Django's "session interrupted" (400).
    assert set(statuses) <= {302, 200, 400}
    assert statuses.count(200) >= 1
