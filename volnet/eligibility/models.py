"""The rule table: every threshold of the law is a row, so that a change of law is a change of data.

A rule applies from `effective_from` to `effective_to` (inclusive, open-ended when empty). The engine in
`volnet.eligibility.engine` reads the rows in force on the day it evaluates; nothing else holds a figure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    deadline_days = models.PositiveSmallIntegerField(
        _("辦理期限(日)"), null=True, blank=True,
        help_text=_("自申請日起算，單位應於幾日內辦結；例如績效證明書 7 日。"))
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


class CertificateRequest(models.Model):
    """A volunteer's request for a 志願服務績效證明書 (domain.md §3.5): reviewed by the unit's 承辦人, then its
    志工督導, then its 負責人, whose approval issues the certificate; the unit has `due_on` (the rule's 7 days).

    The state machine (volnet.eligibility.certificates): 待承辦人審核 → 待督導審核 → 待負責人核定 → 已核發;
    from any waiting step 已退回 (a reviewer, with a reason) or 已撤回 (the volunteer). The figures are the
    engine's on the day of the request, shown to the reviewers; the certificate certifies that same period.
    """

    class Status(models.TextChoices):
        CLERK = "clerk", _("待承辦人審核")
        SUPERVISOR = "supervisor", _("待督導審核")
        HEAD = "head", _("待負責人核定")
        ISSUED = "issued", _("已核發")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    WAITING = (Status.CLERK, Status.SUPERVISOR, Status.HEAD)

    class Purpose(models.TextChoices):
        STUDY = "study", _("升學")
        WORK = "work", _("就業")
        AWARD = "award", _("申請獎勵")
        OTHER = "other", _("其他")
        PAPER = "paper", _("紙本申請，由單位登錄")

    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("志工"), on_delete=models.CASCADE,
                                  related_name="certificate_requests")
    unit = models.ForeignKey("units.Unit", verbose_name=_("運用單位"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    purpose_note = models.CharField(_("用途說明"), max_length=100, blank=True)
    period_start = models.DateField(_("採計起日"))
    period_end = models.DateField(_("採計迄日"))
    hours = models.DecimalField(_("服務時數"), max_digits=9, decimal_places=1)
    months = models.PositiveIntegerField(_("服務年資（月）"))
    counted_on = models.DateField(_("資格計算日"))
    submitted_at = models.DateTimeField(_("申請時間"), default=timezone.now)
    due_on = models.DateField(_("辦理期限"))
    status = models.CharField(_("狀態"), max_length=12, choices=Status.choices, default=Status.CLERK)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申請人"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("結案時間"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    certificate = models.OneToOneField("records.PerformanceCertificate", verbose_name=_("績效證明書"),
                                       on_delete=models.PROTECT, null=True, blank=True, related_name="request")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # one request waiting per volunteer and unit: a second click, a second tab
            models.UniqueConstraint(fields=["volunteer", "unit"],
                                    condition=Q(status__in=["clerk", "supervisor", "head"]),
                                    name="one_waiting_certificate_request"),
            models.CheckConstraint(condition=Q(status="issued", certificate__isnull=False)
                                   | (~Q(status="issued") & Q(certificate__isnull=True)),
                                   name="certificate_request_issued_has_certificate"),
        ]
        indexes = [models.Index(fields=["unit", "status"])]
        verbose_name = _("績效證明書申請")
        verbose_name_plural = _("績效證明書申請")

    def __str__(self):
        return f"{self.volunteer_id} {self.unit_id} {self.get_status_display()}"

    @property
    def is_waiting(self):
        return self.status in self.WAITING


class CertificateReview(models.Model):
    """One step's decision on a request: approved or returned, by whom, when and why. One per step."""

    class Step(models.TextChoices):
        CLERK = "clerk", _("承辦人")
        SUPERVISOR = "supervisor", _("志工督導")
        HEAD = "head", _("負責人")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("同意")
        RETURNED = "returned", _("退回")

    request = models.ForeignKey(CertificateRequest, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(_("關卡"), max_length=12, choices=Step.choices)
    decision = models.CharField(_("決定"), max_length=10, choices=Decision.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("審核人"), on_delete=models.PROTECT,
                                 related_name="+")
    note = models.CharField(_("意見"), max_length=200, blank=True)
    at = models.DateTimeField(_("時間"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "step"], name="one_review_per_step")]
        verbose_name = _("績效證明書審核紀錄")
        verbose_name_plural = _("績效證明書審核紀錄")

    def __str__(self):
        return f"{self.request_id} {self.get_step_display()} {self.get_decision_display()}"
