"""The rule table: every threshold of the law is a row, so that a change of law is a change of data.

A rule applies from `effective_from` to `effective_to` (inclusive, open-ended when empty). The engine in
`volnet.eligibility.engine` reads the rows in force on the day it evaluates; nothing else holds a figure.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The names and levels of the seeded rule table (migration 0002), listed so that the catalogue has
# them. The table keeps them in Chinese: records.Award stores them and the engine compares against
# them; only their display goes through `rule_text`.
RULE_WORDS = [
    gettext_noop("基礎訓練"),
    gettext_noop("特殊訓練"),
    gettext_noop("志願服務榮譽卡"),
    gettext_noop("志願服務績效證明書"),
    gettext_noop("志願服務績優銅牌獎"),
    gettext_noop("志願服務績優銀牌獎"),
    gettext_noop("志願服務績優金牌獎"),
    gettext_noop("銅牌"),
    gettext_noop("銀牌"),
    gettext_noop("金牌"),
    gettext_noop("衛生福利志願服務銅質徽章"),
    gettext_noop("衛生福利志願服務銀質徽章"),
    gettext_noop("衛生福利志願服務金質徽章"),
    gettext_noop("銅質"),
    gettext_noop("銀質"),
    gettext_noop("金質"),
]


def rule_text(text):
    """A rule's name or level (or an award named after one) in the reader's language. A name typed in
    the admin that the catalogue does not know is shown as it was typed; an empty one stays empty."""
    return gettext(text) if text else text


class Rule(models.Model):
    class Scheme(models.TextChoices):
        BASIC_TRAINING = "basic_training", _("基礎訓練")
        SPECIAL_TRAINING = "special_training", _("特殊訓練")
        HONOR_CARD = "honor_card", _("志願服務榮譽卡")
        CERTIFICATE = "certificate", _("志願服務績效證明書")
        VOLUNTEER_MEDAL = "volunteer_medal", _("志願服務獎勵")
        HEALTH_BADGE = "health_badge", _("衛生福利志願服務獎勵")

    scheme = models.CharField(_("制度"), max_length=20, choices=Scheme.choices)
    level = models.CharField(_("等級代碼"), max_length=10, blank=True,
                             help_text=_("bronze、silver、gold；無等級者留空。"))
    rank = models.PositiveSmallIntegerField(_("等級順序"), default=0, help_text=_("同一制度內，數字越大等級越高。"))
    name = models.CharField(_("名稱"), max_length=60, help_text=_("例如：志願服務績優銅牌獎。"))
    level_label = models.CharField(_("等級名稱"), max_length=20, blank=True,
                                   help_text=_("記入獎勵紀錄的等級，例如：銅牌。"))
    min_months = models.PositiveSmallIntegerField(_("最低年資(月)"), default=0)
    min_hours = models.DecimalField(_("最低服務時數"), max_digits=7, decimal_places=1, default=0)
    min_minutes = models.PositiveIntegerField(_("最低訓練時數(分鐘)"), default=0, help_text=_("僅訓練類規則使用。"))
    validity_months = models.PositiveSmallIntegerField(_("有效期間(月)"), null=True, blank=True)
    per_unit = models.BooleanField(_("依單位分別計算"), default=False)
    needs_record_book = models.BooleanField(_("須有紀錄冊"), default=True)
    needs_training = models.BooleanField(_("須登錄基礎及特殊訓練"), default=False)
    needs_photo = models.BooleanField(_("須有證件照"), default=False)
    needs_certificate = models.BooleanField(
        _("須有績效證明書"), default=False, help_text=_("僅採計可開立績效證明書之單位的時數。")
    )
    once_per_level = models.BooleanField(_("各等級限領一次且不得低於已領等級"), default=False)
    effective_from = models.DateField(_("施行日"))
    effective_to = models.DateField(_("停止適用日"), null=True, blank=True)
    basis = models.CharField(_("法源"), max_length=120, blank=True)

    class Meta:
        ordering = ["scheme", "rank", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "effective_from"], name="rule_unique_per_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rule_effective_range",
            ),
        ]
        verbose_name = _("資格規則")
        verbose_name_plural = pgettext_lazy("plural", "資格規則")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return rule_text(self.name)

    @property
    def display_level(self):
        return rule_text(self.level_label)

    def applies_on(self, day):
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
