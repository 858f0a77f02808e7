import pytest


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Photos go to a temporary folder; every test starts with an empty cache (PDFs and throttles)."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDBOOK_PDF_CACHE_AFTER = 3600  # every download a new print, however slow the machine
    cache.clear()
    yield
    cache.clear()
