"""The rule table: every threshold of the law is a row, so that a change of law is a change of data.

A rule applies from `effective_from` to `effective_to` (inclusive, open-ended when empty). The engine in
`volnet.eligibility.engine` reads the rows in force on the day it evaluates; nothing else holds a figure.
"""

from django.db import models
from django.db.models import Q


class Rule(models.Model):
    class Scheme(models.TextChoices):
        BASIC_TRAINING = "basic_training", "基礎訓練"
        SPECIAL_TRAINING = "special_training", "特殊訓練"
        HONOR_CARD = "honor_card", "志願服務榮譽卡"
        CERTIFICATE = "certificate", "志願服務績效證明書"
        VOLUNTEER_MEDAL = "volunteer_medal", "志願服務獎勵"
        HEALTH_BADGE = "health_badge", "衛生福利志願服務獎勵"

    scheme = models.CharField("制度", max_length=20, choices=Scheme.choices)
    level = models.CharField("等級代碼", max_length=10, blank=True, help_text="bronze、silver、gold；無等級者留空。")
    rank = models.PositiveSmallIntegerField("等級順序", default=0, help_text="同一制度內，數字越大等級越高。")
    name = models.CharField("名稱", max_length=60, help_text="例如：志願服務績優銅牌獎。")
    level_label = models.CharField("等級名稱", max_length=20, blank=True, help_text="記入獎勵紀錄的等級，例如：銅牌。")
    min_months = models.PositiveSmallIntegerField("最低年資(月)", default=0)
    min_hours = models.DecimalField("最低服務時數", max_digits=7, decimal_places=1, default=0)
    min_minutes = models.PositiveIntegerField("最低訓練時數(分鐘)", default=0, help_text="僅訓練類規則使用。")
    validity_months = models.PositiveSmallIntegerField("有效期間(月)", null=True, blank=True)
    per_unit = models.BooleanField("依單位分別計算", default=False)
    needs_record_book = models.BooleanField("須有紀錄冊", default=True)
    needs_training = models.BooleanField("須登錄基礎及特殊訓練", default=False)
    needs_photo = models.BooleanField("須有證件照", default=False)
    needs_certificate = models.BooleanField(
        "須有績效證明書", default=False, help_text="僅採計可開立績效證明書之單位的時數。"
    )
    once_per_level = models.BooleanField("各等級限領一次且不得低於已領等級", default=False)
    effective_from = models.DateField("施行日")
    effective_to = models.DateField("停止適用日", null=True, blank=True)
    basis = models.CharField("法源", max_length=120, blank=True)

    class Meta:
        ordering = ["scheme", "rank", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "effective_from"], name="rule_unique_per_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rule_effective_range",
            ),
        ]
        verbose_name = "資格規則"
        verbose_name_plural = "資格規則"

    def __str__(self):
        return self.name

    def applies_on(self, day):
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
