"""Storing uploaded bytes so that a full disk gives a message, not a 500 or a half-written file."""

import errno

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
FULL_MESSAGE = _("伺服器儲存空間不足，檔案沒有存入。請稍後再試，或聯繫運用單位。")


class StorageFull(Exception):
    message = FULL_MESSAGE


def save_file(field_file, name, data):
    """Put `data` into a FileField under `name` without saving the model. On any write error the
    partial file is removed; a full disk raises StorageFull."""
    storage = field_file.storage
    target = field_file.field.generate_filename(field_file.instance, name)
    try:
        field_file.save(name, ContentFile(data), save=False)
    except OSError as error:
        try:
            if storage.exists(target):
                storage.delete(target)
        except OSError:
            pass
        if error.errno in NO_SPACE:
            raise StorageFull(FULL_MESSAGE) from error
        raise
