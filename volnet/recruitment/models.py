from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.lib.conditions import holds
from volnet.units.models import Unit

USER = settings.AUTH_USER_MODEL


class PostingQuerySet(models.QuerySet):
    def open_on(self, day):
        """What anyone may browse and apply to on `day` (Posting.open_rule)."""
        return self.filter(Posting.open_rule(day))


class Posting(models.Model):
    """志工招募: an opening a unit publishes; anyone may read it, signed-in volunteers apply."""

    unit = models.ForeignKey(Unit, verbose_name=_("招募單位"), on_delete=models.PROTECT, related_name="postings")
    title = models.CharField(_("標題"), max_length=120)
    service_item = models.CharField(_("服務項目"), max_length=40)
    place = models.CharField(_("服務地點"), max_length=200)
    start_date = models.DateField(_("服務期間起"))
    end_date = models.DateField(_("服務期間迄"))
    quota = models.PositiveIntegerField(_("招募人數"))
    requirements = models.TextField(_("條件"), blank=True)
    description = models.TextField(pgettext_lazy("recruitment posting", "說明"), blank=True)
    is_published = models.BooleanField(_("公開"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="posting_end_after_start"),
            models.CheckConstraint(condition=Q(quota__gt=0), name="posting_quota_positive"),
        ]
        verbose_name = _("招募訊息")
        verbose_name_plural = _("招募訊息")

    def __str__(self):
        return self.title

    @staticmethod
    def open_rule(day):
        """Open on `day`: published, not yet ended, of a unit still in operation."""
        return Q(is_published=True, end_date__gte=day, unit__is_active=True)

    def is_open_on(self, day):
        return holds(self.open_rule(day), self)


class Application(models.Model):
    """應徵紀錄."""

    class Status(models.TextChoices):
        PENDING = "pending", _("審核中")
        ACCEPTED = "accepted", _("已錄取")
        DECLINED = "declined", _("未錄取")
        WITHDRAWN = "withdrawn", _("已撤回")

    posting = models.ForeignKey(Posting, verbose_name=_("招募訊息"), on_delete=models.CASCADE,
                                related_name="applications")
    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("應徵說明"), max_length=300, blank=True)
    applied_at = models.DateTimeField(_("應徵時間"), default=timezone.now)
    decided_at = models.DateTimeField(_("審核時間"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-applied_at"]
        constraints = [models.UniqueConstraint(fields=["posting", "volunteer"], name="one_application_per_posting")]
        verbose_name = _("應徵紀錄")
        verbose_name_plural = _("應徵紀錄")

    def __str__(self):
        return f"{self.posting_id}/{self.volunteer_id} {self.get_status_display()}"
