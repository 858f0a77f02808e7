"""Album photos live outside MEDIA_ROOT: no web server path reaches them, only the views that check membership.

The folder is `settings.PRIVATE_MEDIA_ROOT` (default `var/private-media`), read on every access so that
tests can point it at a temporary folder.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root():
    return Path(getattr(settings, "PRIVATE_MEDIA_ROOT", Path(settings.VAR_DIR) / "private-media"))


class PrivateStorage(FileSystemStorage):
    """A file-system storage without URLs: `url()` raises, so no template can leak a public address."""

    @property
    def base_location(self):
        return str(private_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("相簿相片沒有公開網址，請經由相簿頁面存取。")


def private_storage():
    return _STORAGE


_STORAGE = PrivateStorage()
