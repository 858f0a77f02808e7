"""What units and authorities enter about a volunteer: the content of 我的檔案 and the record book."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.lib.conditions import holds
from volnet.records.choices import ServiceCategory
from volnet.units.models import Authority, Unit

USER = settings.AUTH_USER_MODEL


class EnteredRecord(models.Model):
    """Fields every entered record shares: the volunteer, the unit that entered it, and who (登錄人)."""

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("登錄單位"), on_delete=models.PROTECT, related_name="+")
    registrant = models.ForeignKey(
        USER, verbose_name=_("登錄人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("建立時間"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        abstract = True


class Consent(models.TextChoices):
    """Whether the volunteer stands behind a unit's entry (domain.md §9.12). Blank: the unit is one the
    volunteer accepted (or that created their account); the entry counts as any other. A unit whose join
    request is still open may record what it witnessed meanwhile; those entries wait (AWAITING) and never
    count until the person accepts; if the person declines they stay, DECLINED, for the unit to correct or
    delete."""

    GIVEN = "", _("已同意")
    AWAITING = "awaiting", _("待志工同意")
    DECLINED = "declined", _("志工未同意")


class ConsentedRecord(models.Model):
    consent = models.CharField(_("志工同意"), max_length=10, choices=Consent.choices, blank=True, default="")

    # The volunteer stands behind the entry: the unit is one they accepted. Otherwise the unit sees them
    # masked, finds them by ID number only, and the entry counts toward nothing.
    CONSENTED = Q(consent=Consent.GIVEN)

    class Meta:
        abstract = True

    @property
    def consented(self):
        return holds(self.CONSENTED, self)


class CountingQuerySet(models.QuerySet):
    def counting(self):
        """The entries that count (the model's COUNTS rule): totals, the record book, eligibility."""
        return self.filter(self.model.COUNTS)


class TrainingRecord(ConsentedRecord, EnteredRecord):
    """教育訓練. A training counts (toward the training totals, the record book, eligibility) once the volunteer
    stands behind the unit that entered it; `TrainingRecord.objects.counting()`."""

    class Kind(models.TextChoices):
        BASIC = "basic", _("基礎訓練")
        SPECIAL = "special", _("特殊訓練")
        IN_SERVICE = "in_service", _("在職訓練")
        OTHER = "other", _("其他訓練")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="trainings")
    # None: written by an authority's course (volnet.courses), which no unit entered; 訓練單位 names the authority.
    unit = models.ForeignKey(Unit, verbose_name=_("登錄單位"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    kind = models.CharField(_("訓練類別"), max_length=12, choices=Kind.choices)
    category = models.CharField(
        _("特殊訓練類別"), max_length=20, choices=ServiceCategory.choices, blank=True,
        help_text=_("特殊訓練須填寫所屬服務類別。"),
    )
    course = models.CharField(_("訓練課程"), max_length=120)
    organiser = models.CharField(_("訓練單位"), max_length=120)
    start_date = models.DateField(_("訓練起日"))
    end_date = models.DateField(_("訓練迄日"), null=True, blank=True)
    sessions = models.PositiveSmallIntegerField(_("訓練次數"), default=1)
    minutes = models.PositiveIntegerField(_("訓練時數(分鐘)"))
    certificate_number = models.CharField(_("結業證書字號"), max_length=60, blank=True)

    COUNTS = ConsentedRecord.CONSENTED

    objects = CountingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["volunteer", "-start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="training_minutes_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="training_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="special") | ~Q(category=""), name="special_training_has_category"
            ),
        ]
        verbose_name = _("教育訓練")
        verbose_name_plural = _("教育訓練")

    def __str__(self):
        return f"{self.course} {self.start_date}"


class ServiceRecordQuerySet(CountingQuerySet):
    def standing(self):
        """Not declined: approved or waiting for approval. A new entry is checked against these (the same entry
        twice, 24 hours a day), and the monthly grid shows them as entered."""
        return self.exclude(status=ServiceRecord.Status.DECLINED)


class ServiceRecord(ConsentedRecord, EnteredRecord):
    """服務時數. Which hours count (domain.md §3.3, §9.12) is `ServiceRecord.COUNTS`, the one definition:
    approved by the unit, not annotated as misuse (管理辦法 §6), and entered by a unit the volunteer accepted.
    Records that do not count are still listed, marked, so the volunteer sees why they do not add up."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("已核定")
        PENDING = "pending", _("待審核")
        DECLINED = "declined", _("已退回")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="services")
    unit = models.ForeignKey(Unit, verbose_name=_("服務運用單位"), on_delete=models.PROTECT, related_name="services")
    service_item = models.CharField(_("服務項目"), max_length=40)
    content = models.CharField(_("服務內容"), max_length=200)
    start_date = models.DateField(_("服務起日"))
    end_date = models.DateField(_("服務迄日"))
    hours = models.DecimalField(_("服務時數"), max_digits=6, decimal_places=1)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.APPROVED)
    self_reported = models.BooleanField(_("志工自行填報"), default=False)
    # 管理辦法 §6: lent or misused books are annotated; those records never count.
    misuse_note = models.CharField(_("不予採計註記"), max_length=200, blank=True)
    decline_reason = models.CharField(_("退回原因"), max_length=200, blank=True)

    COUNTS = Q(status=Status.APPROVED, misuse_note="") & ConsentedRecord.CONSENTED

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-end_date", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "-start_date"]),
            models.Index(fields=["unit", "-start_date"]),
            models.Index(fields=["unit", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="service_hours_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="service_end_after_start"),
        ]
        verbose_name = _("服務時數")
        verbose_name_plural = _("服務時數")

    def __str__(self):
        return f"{self.service_item} {self.start_date} {self.hours}"

    @property
    def counts_toward_hours(self):
        return holds(self.COUNTS, self)


class RecordBookQuerySet(models.QuerySet):
    def valid(self):
        """Books not cancelled (註銷): at most one per volunteer."""
        return self.filter(RecordBook.VALID)


class RecordBook(models.Model):
    """志願服務紀錄冊: one valid book per volunteer, continuing across units (管理辦法 §7)."""

    class Status(models.TextChoices):
        FIRST = "first", _("初次")
        RENEWED = "renewed", _("換發")
        REPLACED = "replaced", _("補發")
        CANCELLED = "cancelled", _("註銷")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="record_books")
    number = models.CharField(_("紀錄冊號"), max_length=30)
    authority = models.ForeignKey(Authority, verbose_name=_("發給單位"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("發冊日期"))
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.FIRST)
    category = models.CharField(_("類別"), max_length=20, choices=ServiceCategory.choices)
    applied_by = models.ForeignKey(
        Unit, verbose_name=_("申請單位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_on = models.DateField(_("註銷日期"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # A valid book: any not cancelled (初次, 換發, 補發).
    VALID = ~Q(status=Status.CANCELLED)

    objects = RecordBookQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="record_book_number_unique"),
            models.UniqueConstraint(
                fields=["volunteer"], condition=~Q(status="cancelled"), name="one_valid_record_book"
            ),
        ]
        verbose_name = _("志願服務紀錄冊")
        verbose_name_plural = _("志願服務紀錄冊")

    def __str__(self):
        return f"{self.authority} {self.number}"

    @property
    def is_valid(self):
        return holds(self.VALID, self)


class RecordBookApplication(models.Model):
    """A unit asks the authority to issue (初次), renew (換發) or replace (補發) a book."""

    class Status(models.TextChoices):
        PENDING = "pending", _("審核中")
        ISSUED = "issued", _("已發冊")
        REJECTED = "rejected", _("已駁回")
        CANCELLED = "cancelled", _("已撤回")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("申請單位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("申請類別"), max_length=10, choices=RecordBook.Status.choices[:3])
    category = models.CharField(_("類別"), max_length=20, choices=ServiceCategory.choices)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("審核說明"), max_length=200, blank=True)
    note = models.CharField(_("申請說明"), max_length=200, blank=True, help_text=_("例如：紀錄冊已寫滿、遺失或毀損。"))
    book = models.ForeignKey(RecordBook, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"], condition=Q(status="pending"), name="one_pending_record_book_application"
            ),
        ]
        verbose_name = pgettext_lazy("one application", "紀錄冊申請")
        verbose_name_plural = _("紀錄冊申請")

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_status_display()}"


class RecordBookSequence(models.Model):
    """The last book number an authority issued: numbers are unique per authority and never reused."""

    authority = models.OneToOneField(
        Authority, verbose_name=_("發給單位"), on_delete=models.CASCADE, primary_key=True, related_name="book_sequence"
    )
    prefix = models.CharField(_("冊號字首"), max_length=10,
                              help_text=_("冊號格式：字首＋民國年－流水號，例如 TC115-000124。"))
    last_number = models.PositiveIntegerField(_("最後流水號"), default=0)

    class Meta:
        verbose_name = _("紀錄冊號流水號")
        verbose_name_plural = _("紀錄冊號流水號")

    def __str__(self):
        return f"{self.authority} {self.prefix} {self.last_number}"


class InsurancePolicyQuerySet(models.QuerySet):
    def in_force(self, day):
        """Policies covering `day` (both ends inclusive)."""
        return self.filter(InsurancePolicy.in_force_rule(day))


class InsurancePolicy(models.Model):
    """One policy a unit pays for, covering one or many volunteers (志願服務法 §16)."""

    unit = models.ForeignKey(Unit, verbose_name=_("投保單位"), on_delete=models.PROTECT, related_name="policies")
    insurer = models.CharField(_("保險公司"), max_length=100)
    policy_number = models.CharField(_("保單號碼"), max_length=60)
    start_date = models.DateField(_("保險起日"))
    end_date = models.DateField(_("保險迄日"))
    accident_sum = models.PositiveIntegerField(_("意外險保額(元)"), default=0)
    medical_sum = models.PositiveIntegerField(_("醫療險保額(元)"), default=0)
    note = models.CharField(_("備註"), max_length=200, blank=True)
    volunteers = models.ManyToManyField(USER, through="InsuranceCoverage", related_name="insurance_policies")
    registrant = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = InsurancePolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="policy_end_after_start"),
        ]
        verbose_name = _("志工保險")
        verbose_name_plural = _("志工保險")

    def __str__(self):
        return f"{self.insurer} {self.policy_number}"

    @staticmethod
    def in_force_rule(day, prefix=""):
        """The rule, as a Q over policies (or over rows reaching a policy through `prefix`, e.g. "policy__"):
        in force on `day`, both ends inclusive."""
        return Q(**{f"{prefix}start_date__lte": day, f"{prefix}end_date__gte": day})

    def state_on(self, day):
        """'current', 'expired' or 'future' on `day`."""
        if holds(self.in_force_rule(day), self):
            return "current"
        return "expired" if self.end_date < day else "future"


class InsuranceCoverageQuerySet(models.QuerySet):
    def in_force(self, day):
        """Coverages under a policy in force on `day`: who is insured that day."""
        return self.filter(InsurancePolicy.in_force_rule(day, prefix="policy__"))


class InsuranceCoverage(models.Model):
    policy = models.ForeignKey(InsurancePolicy, on_delete=models.CASCADE, related_name="coverages")
    volunteer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="insurance_coverages")

    objects = InsuranceCoverageQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "volunteer"], name="coverage_unique")]
        verbose_name = _("被保險志工")
        verbose_name_plural = _("被保險志工")

    def __str__(self):
        return f"{self.policy_id}/{self.volunteer_id}"


class OtherItem(EnteredRecord):
    """其他登錄事項: anything a unit records that has no table of its own (幹部經歷, 特殊事蹟…)."""

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="other_items")
    title = models.CharField(_("事項"), max_length=100)
    content = models.CharField(_("內容"), max_length=300, blank=True)
    start_date = models.DateField(_("日期"))
    end_date = models.DateField(_("迄日"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["volunteer", "-start_date"])]
        verbose_name = _("其他登錄事項")
        verbose_name_plural = _("其他登錄事項")

    def __str__(self):
        return self.title


class Award(EnteredRecord):
    class Kind(models.TextChoices):
        HEALTH_WELFARE = "health_welfare", _("衛生福利獎勵")
        VOLUNTEER_SERVICE = "volunteer_service", _("志願服務獎勵")
        OTHER = "other", _("其他獎項表揚")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="awards")
    unit = models.ForeignKey(
        Unit, verbose_name=_("登錄單位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("獎勵類別"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("獎項名稱"), max_length=120)
    level = models.CharField(_("等級"), max_length=20, blank=True)
    awarded_on = models.DateField(_("頒發日期"))
    granted_by = models.CharField(_("頒發機關"), max_length=120)
    certificate_number = models.CharField(_("證書字號"), max_length=60, blank=True)

    class Meta:
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["volunteer", "kind"])]
        verbose_name = _("獎勵紀錄")
        verbose_name_plural = _("獎勵紀錄")

    def __str__(self):
        return f"{self.name} {self.level}"


class PerformanceCertificate(models.Model):
    """志願服務績效證明書 (domain.md §3.5): a unit certifies the seniority and hours served in that unit only.

    The figures are the eligibility engine's result for the unit on the day of issue, kept as they were
    printed. Numbers are unit code + ROC year + four-digit serial (`2-299-115-0001`), never reused: a
    cancelled certificate keeps its number and its row.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("有效")
        CANCELLED = "cancelled", _("已註銷")

    volunteer = models.ForeignKey(
        USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="performance_certificates"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("開立單位"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("證明書字號"), max_length=40)
    roc_year = models.PositiveSmallIntegerField(_("民國年"))
    serial = models.PositiveIntegerField(_("流水號"))
    issued_on = models.DateField(_("開立日期"))
    hours = models.DecimalField(_("服務時數"), max_digits=9, decimal_places=1)
    months = models.PositiveIntegerField(_("服務年資（月）"))
    period_start = models.DateField(_("採計起日"))
    period_end = models.DateField(_("採計迄日"))
    service_items = models.CharField(_("服務項目"), max_length=300, blank=True)
    head_name = models.CharField(_("負責人"), max_length=60, blank=True)
    issued_by = models.ForeignKey(
        USER, verbose_name=_("開立人員"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    cancelled_on = models.DateField(_("註銷日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("註銷原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certificate_number_unique"),
            models.UniqueConstraint(fields=["unit", "roc_year", "serial"], name="certificate_serial_unique"),
            models.UniqueConstraint(
                fields=["volunteer", "unit", "period_start", "period_end"], condition=Q(status="issued"),
                name="one_valid_certificate_per_period",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificate_hours_positive"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="certificate_period_order"),
            models.CheckConstraint(
                condition=Q(status="issued", cancelled_on__isnull=True)
                | Q(status="cancelled", cancelled_on__isnull=False),
                name="certificate_cancelled_on_with_status",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]
        verbose_name = _("志願服務績效證明書")
        verbose_name_plural = _("志願服務績效證明書")

    def __str__(self):
        return self.number


class CorrectionRequest(models.Model):
    """申請更正 (個資法 §3: the right to have one's data corrected): the volunteer says what is wrong in one
    record and what it should be; the unit that entered the record answers (corrected, or declined with why).

    `unit` is the unit asked (the one that entered the record, fixed when asked), so a unit's queue is
    `units.access.managed_records(user, CorrectionRequest)` like any of its entries. `summary` keeps the record
    as the volunteer saw it: the record may be corrected or deleted afterwards."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("服務時數")
        TRAINING = "training", _("教育訓練")
        INSURANCE = "insurance", _("志工保險")
        OTHER_ITEM = "other_item", _("其他登錄事項")
        AWARD = "award", _("獎勵紀錄")
        BOOK = "book", _("志願服務紀錄冊")
        CERTIFICATE = "certificate", _("志願服務績效證明書")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("correction request", "處理中")
        CORRECTED = "corrected", pgettext_lazy("correction request", "已更正")
        DECLINED = "declined", pgettext_lazy("correction request", "不予更正")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE,
                                  related_name="correction_requests")
    unit = models.ForeignKey(Unit, verbose_name=_("受理單位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("紀錄類別"), max_length=12, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(_("紀錄編號"))
    summary = models.CharField(_("申請時的紀錄內容"), max_length=300)
    wrong = models.CharField(_("錯誤之處"), max_length=500)
    should_be = models.CharField(_("正確內容"), max_length=500)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.CharField(_("單位回覆"), max_length=500, blank=True)
    answered_by = models.ForeignKey(USER, verbose_name=_("回覆人"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    answered_at = models.DateTimeField(_("回覆時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("申請時間"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["volunteer", "kind", "record_id"])]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "kind", "record_id"], condition=Q(status="pending"),
                                    name="one_pending_correction_per_record"),
            models.CheckConstraint(condition=Q(status="pending") | Q(answered_at__isnull=False),
                                   name="correction_answered_has_time"),
        ]
        verbose_name = _("更正申請")
        verbose_name_plural = _("更正申請")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.record_id} {self.get_status_display()}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
