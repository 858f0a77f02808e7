"""Album photos live outside MEDIA_ROOT: no web server path reaches them, only the views that check membership.

The folder is `settings.PRIVATE_MEDIA_ROOT` (the environment variable of that name), else `private-media`
beside MEDIA_ROOT (`var/private-media` by default). It is read on every access so that
tests can point it at a temporary folder. Back it up with MEDIA_ROOT (docs/deploy.md).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _


def private_root():
    configured = settings.PRIVATE_MEDIA_ROOT
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "private-media"


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
        raise ValueError(_("相簿相片沒有公開網址，請經由相簿頁面存取。"))


def private_storage():
    return _STORAGE


_STORAGE = PrivateStorage()
