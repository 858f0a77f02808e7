"""通知: what happened to a person that they should hear of, in the site and (where they want it) by mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # for volunteers
    HOURS_APPROVED = "hours_approved", _("填報時數已核准")
    HOURS_RETURNED = "hours_returned", _("填報時數已退回")
    APPLICATION_DECIDED = "application_decided", _("招募應徵結果")
    CARD_APPROVED = "card_approved", _("榮譽卡申請已核准")
    CARD_ISSUED = "card_issued", _("榮譽卡已核發")
    CARD_RETURNED = "card_returned", _("榮譽卡申請已退回")
    BOOK_ISSUED = "book_issued", _("紀錄冊已發給")
    JOIN_REQUEST = "join_request", _("單位邀請您加入")
    INSURANCE_ENDING = "insurance_ending", _("保險即將到期")
    CARD_ENDING = "card_ending", _("榮譽卡即將到期")
    CERTIFICATE_ISSUED = "certificate_issued", _("績效證明書已核發")
    CERTIFICATE_RETURNED = "certificate_returned", _("績效證明書申請已退回")
    CORRECTION_ANSWERED = "correction_answered", _("更正申請已回覆")
    COURSE_ENROLLED = "course_enrolled", _("課程報名成功")
    COURSE_WAITING = "course_waiting", _("課程候補")
    COURSE_MOVED_UP = "course_moved_up", _("課程由候補遞補")
    COURSE_REMINDER = "course_reminder", _("明天上課提醒")
    COURSE_CHANGED = "course_changed", _("課程內容變更")
    COURSE_CANCELLED = "course_cancelled", _("課程取消")
    COURSE_COMPLETED = "course_completed", _("結業證書已核發")
    # security: always mailed
    ACCOUNT_CHANGED = "account_changed", _("單位變更您的密碼或電子信箱")
    # for staff
    APPROVALS_WAITING = "approvals_waiting", _("待審核的填報時數")
    APPLICATIONS_TO_REVIEW = "applications_to_review", _("待審查的申請")
    REPORTS_DUE = "reports_due", _("服務計畫與成果報告到期")
    CERTIFICATES_TO_REVIEW = "certificates_to_review", _("待審核的績效證明書申請")
    CARDS_ENDING = "cards_ending", _("志工的榮譽卡即將到期")
    CORRECTION_REQUESTED = "correction_requested", _("志工申請更正紀錄")


SECURITY_KINDS = frozenset({Kind.ACCOUNT_CHANGED})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                               verbose_name=_("收件人"))
    kind = models.CharField(_("類別"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("內容參數"), default=dict, blank=True)
    link = models.CharField(_("連結"), max_length=300, blank=True)
    # names the event: the same event raised twice is one notification and at most one mail
    key = models.CharField(_("事件"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("時間"), default=timezone.now)
    read_at = models.DateTimeField(_("已讀時間"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread"),
                   models.Index(fields=["person", "-created_at"], name="notification_list")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.person_id}"

    @property
    def text(self):
        from volnet.notifications.texts import text_of

        return text_of(self.kind, self.params)


class MailOptOut(models.Model):
    """A kind whose mail the person turned off (no row: mail on). Security kinds are never turned off."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs")
    kind = models.CharField(_("類別"), max_length=40, choices=Kind.choices)

    class Meta:
        verbose_name = _("不收通知信")
        verbose_name_plural = _("不收通知信")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="mail_opt_out_once")]

    def __str__(self):
        return f"{self.person_id}: {self.kind}"
