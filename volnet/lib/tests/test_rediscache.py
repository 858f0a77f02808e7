"""The Redis cache that production uses (REDIS_URL): Django's, keeping its redis.Redis clients."""

import threading

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from volnet.lib.rediscache import KeptClientRedisCache
from volnet.tests.celeryworker import redis_server


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def counting_clients(monkeypatch):
    built = []

    class Counting(redis.Redis):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(redis, "Redis", Counting)
    return built


def test_a_hundred_cache_calls_build_one_client_where_djangos_own_builds_one_each(redis_url, monkeypatch):
    built = counting_clients(monkeypatch)
    for backend, clients in ((KeptClientRedisCache, 1), (RedisCache, 100)):
        built.clear()
        cache = backend(redis_url, {"KEY_PREFIX": backend.__name__})
        for n in range(50):
            cache.set(f"k{n}", n)
            assert cache.get(f"k{n}") == n
        assert len(built) == clients, backend.__name__


def test_many_threads_share_it_and_each_reads_back_its_own_values(redis_url):
    cache = KeptClientRedisCache(redis_url, {"KEY_PREFIX": "threads"})
    errors = []

    def session(n):
        try:
            for i in range(50):
                cache.set(f"session-{n}", {"n": n, "i": i}, 60)
                assert cache.get(f"session-{n}") == {"n": n, "i": i}
                cache.add(f"count-{n}", 0)
                assert cache.incr(f"count-{n}") == i + 1
            cache.delete_many([f"session-{n}"])
            assert cache.get(f"session-{n}") is None
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
