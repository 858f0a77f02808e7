import pytest

from volnet.accounts.models import User


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Photos go to a temporary folder; every test starts with an empty cache (PDFs and throttles)."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDBOOK_PDF_CACHE_AFTER = 3600  # every download a new print, however slow the machine
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bear(demo):
    """The manual's demo volunteer 測試熊 (16 service records, a record book, a photo)."""
    return User.objects.get(national_id="E122333441")


@pytest.fixture
def bear_client(client, bear):
    client.force_login(bear)
    return client
