from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to whom: staff views and changes of personal data, corrections with before/after.

    Actions are dotted codes, e.g. `records.service.updated`, `backoffice.volunteer.viewed`.
    """

    at = models.DateTimeField(_("時間"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("動作"), max_length=60)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志工"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_type = models.CharField(_("對象類型"), max_length=60, blank=True)
    object_id = models.CharField(_("對象編號"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(_("變更內容"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "-at"]),
            models.Index(fields=["unit", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        verbose_name = _("稽核紀錄")
        verbose_name_plural = _("稽核紀錄")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
