"""志願服務法 §7: a unit files its service plan for a year and, within two months after the year ends, its
results report; the authority reviews the report (accepts it, or returns it with a reason)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volnet.units.models import Unit


class ServicePlan(models.Model):
    """志願服務計畫: recruitment, training, management, service items and the period (§7)."""

    unit = models.ForeignKey(Unit, verbose_name=_("運用單位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("計畫年度"))
    recruitment = models.TextField(_("招募"), max_length=2000)
    training = models.TextField(_("訓練"), max_length=2000)
    management = models.TextField(_("管理（運用、督導、考核、獎勵）"), max_length=2000)
    service_items = models.TextField(_("服務項目"), max_length=2000)
    period_start = models.DateField(_("計畫起日"))
    period_end = models.DateField(_("計畫迄日"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filed_at = models.DateTimeField(_("提報時間"), default=timezone.now)

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_service_plan_per_unit_and_year"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_end_after_start"),
        ]
        verbose_name = _("志願服務計畫")
        verbose_name_plural = _("志願服務計畫")

    def __str__(self):
        return f"{self.unit} {self.year}"


class ResultsReport(models.Model):
    """成果報告 of one year. `figures` are the system's own records as the unit checked them when filing (see
    reports.queries.figures); the unit explains them in `explanation`, never retypes them."""

    class Status(models.TextChoices):
        FILED = "filed", _("待審核")
        RETURNED = "returned", _("退回補正")
        ACCEPTED = "accepted", _("審核通過")

    unit = models.ForeignKey(Unit, verbose_name=_("運用單位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("成果年度"))
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.FILED)
    figures = models.JSONField(_("統計數字"), default=dict)
    explanation = models.TextField(_("說明"), max_length=4000, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filed_at = models.DateTimeField(_("提報時間"), default=timezone.now)
    times_filed = models.PositiveSmallIntegerField(_("提報次數"), default=1)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("審核時間"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_results_report_per_unit_and_year")]
        verbose_name = _("成果報告")
        verbose_name_plural = _("成果報告")

    def __str__(self):
        return f"{self.unit} {self.year}"
