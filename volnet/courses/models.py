"""教育訓練課程: courses a unit, an authority or a 推廣中心 publishes (基礎訓練 or a category's 特殊訓練), their
sessions, the volunteers enrolled or waiting, attendance per session, and the completions that become training
records (domain.md §2.2 item 3, §3.2)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.lib.conditions import holds
from volnet.records.models import TrainingRecord
from volnet.units.choices import ServiceCategory
from volnet.units.models import Authority, Unit

USER = settings.AUTH_USER_MODEL


class CourseQuerySet(models.QuerySet):
    def upcoming(self, today):
        """Published courses whose last session is today or later (what volunteers browse)."""
        return self.filter(status=Course.Status.PUBLISHED, last_day__gte=today)

    def of_organisers(self, units, authorities):
        return self.filter(Q(unit__in=units) | Q(authority__in=authorities))

    def in_city(self, authority):
        """Courses of the area of a local competent authority: its own and those of its units."""
        return self.filter(Q(authority=authority) | Q(unit__authority=authority))


class Course(models.Model):
    """A course one organiser publishes: a unit (a 推廣中心 is a unit too) or an authority, never both."""

    class Kind(models.TextChoices):
        BASIC = TrainingRecord.Kind.BASIC.value, TrainingRecord.Kind.BASIC.label
        SPECIAL = TrainingRecord.Kind.SPECIAL.value, TrainingRecord.Kind.SPECIAL.label

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("不限，歡迎所有志工")
        OWN = "own", _("限主辦單位所屬志工")

    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("course status", "已公告")
        CANCELLED = "cancelled", pgettext_lazy("course status", "已取消")

    unit = models.ForeignKey(Unit, verbose_name=_("主辦單位"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="courses")
    authority = models.ForeignKey(Authority, verbose_name=_("主辦機關"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="courses")
    kind = models.CharField(_("訓練類別"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("特殊訓練類別"), max_length=20, choices=ServiceCategory.choices, blank=True)
    title = models.CharField(_("課程名稱"), max_length=120)
    description = models.TextField(pgettext_lazy("course", "課程說明"), blank=True)
    place = models.CharField(_("上課地點"), max_length=200, blank=True)
    online_url = models.URLField(_("線上課程連結"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("名額"))
    audience = models.CharField(_("報名資格"), max_length=10, choices=Audience.choices, default=Audience.ANYONE)
    enrol_from = models.DateField(_("報名開始日"))
    enrol_until = models.DateField(_("報名截止日"))
    contact_name = models.CharField(_("聯絡人"), max_length=60)
    contact_phone = models.CharField(_("聯絡電話"), max_length=30, blank=True)
    contact_email = models.EmailField(_("聯絡信箱"), blank=True)
    # the first and last session's day, kept by the services whenever sessions change (browsing sorts on them)
    first_day = models.DateField(_("第一場日期"), null=True, blank=True)
    last_day = models.DateField(_("最後一場日期"), null=True, blank=True)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消時間"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("公告人"), on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("公告時間"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "id"]
        indexes = [models.Index(fields=["status", "last_day"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(authority__isnull=True))
                | (Q(unit__isnull=True) & Q(authority__isnull=False)), name="course_one_organiser"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="course_capacity_positive"),
            models.CheckConstraint(condition=Q(enrol_until__gte=F("enrol_from")), name="course_window_in_order"),
            models.CheckConstraint(condition=~Q(kind="special") | ~Q(category=""), name="course_special_has_category"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="course_has_place_or_link"),
        ]
        verbose_name = _("教育訓練課程")
        verbose_name_plural = _("教育訓練課程")

    def __str__(self):
        return self.title

    @property
    def organiser(self):
        return self.unit or self.authority

    @property
    def organiser_name(self):
        """As printed in 訓練單位 and on the certificate: the unit's code and name, or the authority's name."""
        return self.unit.label if self.unit_id else self.authority.name

    @property
    def city(self):
        """The local competent authority of the course's area."""
        return self.unit.authority if self.unit_id else self.authority

    @property
    def kind_label(self):
        if self.kind == self.Kind.SPECIAL and self.category:
            return f"{self.get_kind_display()}（{self.get_category_display()}）"
        return self.get_kind_display()

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def enrolment_open_on(self, day):
        return holds(Course.open_rule(day), self)

    @staticmethod
    def open_rule(day):
        """Open for enrolment on `day`: published and inside the window."""
        return Q(status=Course.Status.PUBLISHED, enrol_from__lte=day, enrol_until__gte=day)


class Session(models.Model):
    """One session of a course: a subject (for 基礎訓練, one of the three set courses), a day, a time, hours."""

    course = models.ForeignKey(Course, verbose_name=_("課程"), on_delete=models.CASCADE, related_name="sessions")
    subject = models.CharField(_("課程主題"), max_length=120)
    date = models.DateField(_("上課日期"))
    starts_at = models.TimeField(_("開始時間"))
    ends_at = models.TimeField(_("結束時間"))
    minutes = models.PositiveIntegerField(_("時數(分鐘)"))

    class Meta:
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="session_minutes_positive"),
        ]
        verbose_name = _("課程場次")
        verbose_name_plural = _("課程場次")

    def __str__(self):
        return f"{self.subject} {self.date}"

    @property
    def start(self):
        return timezone.make_aware(dt.datetime.combine(self.date, self.starts_at))

    @property
    def end(self):
        return timezone.make_aware(dt.datetime.combine(self.date, self.ends_at))


class EnrolmentQuerySet(models.QuerySet):
    def open(self):
        """Enrolled or waiting: at most one per course and volunteer."""
        return self.filter(status__in=Enrolment.OPEN)

    def enrolled(self):
        return self.filter(status=Enrolment.Status.ENROLLED)

    def waiting(self):
        """The waiting list in its order: first come, first moved up."""
        return self.filter(status=Enrolment.Status.WAITING).order_by("created_at", "id")


class Enrolment(models.Model):
    """報名: enrolled (a seat), waiting (in order of enrolment), or cancelled. A completion gives the
    結業證書字號 and the training record it wrote."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已報名")
        WAITING = "waiting", _("候補中")
        CANCELLED = "cancelled", _("已取消報名")

    OPEN = (Status.ENROLLED, Status.WAITING)

    course = models.ForeignKey(Course, verbose_name=_("課程"), on_delete=models.CASCADE, related_name="enrolments")
    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("報名時間"), default=timezone.now)
    moved_up_at = models.DateTimeField(_("遞補時間"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消時間"), null=True, blank=True)
    completed_on = models.DateField(_("結訓日期"), null=True, blank=True)
    certificate_number = models.CharField(_("結業證書字號"), max_length=60, blank=True)
    certificate_year = models.PositiveSmallIntegerField(_("證書年度（民國）"), null=True, blank=True)
    certificate_serial = models.PositiveIntegerField(_("證書流水號"), null=True, blank=True)
    training_record = models.OneToOneField(TrainingRecord, verbose_name=_("教育訓練紀錄"), on_delete=models.SET_NULL,
                                           null=True, blank=True, related_name="enrolment")
    completed_by = models.ForeignKey(USER, verbose_name=_("登錄人"), on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "volunteer"], condition=Q(status__in=["enrolled", "waiting"]),
                                    name="one_open_enrolment_per_course"),
            models.UniqueConstraint(fields=["certificate_number"], condition=~Q(certificate_number=""),
                                    name="course_certificate_number_unique"),
            models.CheckConstraint(condition=Q(completed_on__isnull=True) | Q(status="enrolled"),
                                   name="completion_is_enrolled"),
        ]
        indexes = [models.Index(fields=["course", "status"]), models.Index(fields=["volunteer", "-created_at"])]
        verbose_name = _("課程報名")
        verbose_name_plural = _("課程報名")

    def __str__(self):
        return f"{self.course_id}/{self.volunteer_id} {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def completed(self):
        return self.completed_on is not None


class Attendance(models.Model):
    """出席: one row per enrolled volunteer and session, written by the organiser's attendance list."""

    session = models.ForeignKey(Session, verbose_name=_("場次"), on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("報名"), on_delete=models.CASCADE,
                                  related_name="attendance")
    present = models.BooleanField(_("出席"), default=False)
    marked_by = models.ForeignKey(USER, verbose_name=_("點名人"), on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    marked_at = models.DateTimeField(_("點名時間"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session")]
        verbose_name = _("出席紀錄")
        verbose_name_plural = _("出席紀錄")

    def __str__(self):
        return f"{self.session_id}/{self.enrolment_id} {'✓' if self.present else '✗'}"
