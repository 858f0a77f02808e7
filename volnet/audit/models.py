from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did what to whom: staff views and changes of personal data, corrections with before/after.

    Actions are dotted codes, e.g. `records.service.updated`, `backoffice.volunteer.viewed`.
    """

    at = models.DateTimeField("時間", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作者", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField("動作", max_length=60)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="志工", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_type = models.CharField("對象類型", max_length=60, blank=True)
    object_id = models.CharField("對象編號", max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField("變更內容", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "-at"]),
            models.Index(fields=["unit", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        verbose_name = "稽核紀錄"
        verbose_name_plural = "稽核紀錄"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
