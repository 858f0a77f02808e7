from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from volnet.units.models import Authority

USER = settings.AUTH_USER_MODEL


class HonorCard(models.Model):
    """志願服務榮譽卡: valid 3 years; the hours of its counting window never count again."""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        REVOKED = "revoked", "已註銷"

    volunteer = models.ForeignKey(USER, verbose_name="志工", on_delete=models.CASCADE, related_name="honor_cards")
    number = models.CharField("卡號", max_length=30)
    authority = models.ForeignKey(Authority, verbose_name="發卡機關", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField("有效期間起")
    valid_to = models.DateField("有效期間迄")
    counted_from = models.DateField("採計期間起", null=True, blank=True)
    counted_to = models.DateField("採計期間迄", null=True, blank=True)
    status = models.CharField("狀態", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="honor_card_number_unique"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="honor_card_valid_range"),
        ]
        verbose_name = "志願服務榮譽卡"
        verbose_name_plural = "志願服務榮譽卡"

    def __str__(self):
        return f"{self.number}"

    def is_valid_on(self, day):
        return self.status == self.Status.ACTIVE and self.valid_from <= day <= self.valid_to
