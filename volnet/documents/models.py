"""Every document the system issues (a record-book PDF, a 績效證明書…), as it was issued: who it is about, who
issued it, its totals and the SHA-256 of the file, under an unguessable verification code; and whether it
still stands."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.documents import codes


class Document(models.Model):
    class Kind(models.TextChoices):
        RECORD_BOOK = "record_book", _("志願服務紀錄冊")
        CERTIFICATE = "certificate", _("志願服務績效證明書")
        TRAINING = "training", _("教育訓練結業證書")

    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("document status", "有效")
        SUPERSEDED = "superseded", pgettext_lazy("document status", "已由較新的列印取代")
        REVOKED = "revoked", pgettext_lazy("document status", "已撤銷")
        CANCELLED = "cancelled", pgettext_lazy("document status", "已註銷")

    code = models.CharField(_("驗證碼"), max_length=codes.LENGTH, unique=True)
    kind = models.CharField(_("文件類別"), max_length=20, choices=Kind.choices)
    # What a newer print of the same kind for the same person replaces: the record book's 查詢條件 (the whole
    # book is ""), a certificate's number. A book printed for one unit never replaces the whole book.
    scope = models.CharField(_("範圍"), max_length=300, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("當事人"), on_delete=models.CASCADE,
                               related_name="+")
    # As printed on the document, masked: the public page shows these and nothing else of the person.
    masked_name = models.CharField(_("姓名（遮蔽）"), max_length=100)
    masked_id = models.CharField(_("身分證號（遮蔽）"), max_length=20)
    issuer = models.CharField(_("發給單位"), max_length=200)
    issued_at = models.DateTimeField(_("核發時間"), default=timezone.now)
    issued_on = models.DateField(_("列印日期"))
    totals = models.JSONField(_("合計"), default=list, blank=True)  # [[label, value], ...] as printed
    sha256 = models.CharField(_("檔案指紋（SHA-256）"), max_length=64)
    status = models.CharField(_("狀態"), max_length=12, choices=Status.choices, default=Status.VALID)
    status_at = models.DateTimeField(_("狀態變更時間"), null=True, blank=True)
    status_reason = models.CharField(_("狀態說明"), max_length=200, blank=True)
    superseded_by = models.ForeignKey("self", verbose_name=_("取代的文件"), on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["person", "kind", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="superseded") | Q(status_at__isnull=False),
                                   name="document_superseded_has_time"),
        ]
        verbose_name = _("核發文件")
        verbose_name_plural = pgettext_lazy("plural", "核發文件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.display_code}"

    @property
    def display_code(self):
        return codes.display(self.code)

    @property
    def is_valid(self):
        return self.status == self.Status.VALID
