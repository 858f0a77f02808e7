import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and unknown-ID lock states live in the cache: every test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
