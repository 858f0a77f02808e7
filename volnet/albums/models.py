from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volnet.albums.storage import private_storage
from volnet.units.models import Unit

USER = settings.AUTH_USER_MODEL


class Album(models.Model):
    """電子相簿: a unit's photos, seen only by the unit's members and staff."""

    unit = models.ForeignKey(Unit, verbose_name=_("單位"), on_delete=models.CASCADE, related_name="albums")
    title = models.CharField(_("相簿名稱"), max_length=120)
    description = models.CharField(_("說明"), max_length=300, blank=True)
    taken_on = models.DateField(_("活動日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        verbose_name = _("電子相簿")
        verbose_name_plural = _("電子相簿")

    def __str__(self):
        return self.title


class Photo(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    # Stored outside MEDIA_ROOT (albums.storage): served only by views that check membership.
    image = models.ImageField(_("相片"), upload_to="albums/", storage=private_storage)
    thumbnail = models.ImageField(_("縮圖"), upload_to="albums/thumbs/", storage=private_storage, blank=True)
    width = models.PositiveIntegerField(_("寬度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    caption = models.CharField(_("說明"), max_length=200, blank=True, help_text=_("也是看不到圖片的人聽到的替代文字。"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("相片")
        verbose_name_plural = _("相片")

    def __str__(self):
        return self.caption or self.image.name
