from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from volnet.eligibility.models import Rule
from volnet.units.models import Authority

USER = settings.AUTH_USER_MODEL


class HonorCardQuerySet(models.QuerySet):
    """Which card is a person's *current* one, defined here once: every page that shows a current card
    (我的檔案, 電子榮譽卡, 榮譽紀錄, 資格查詢) asks this, so two overlapping cards never make two pages
    disagree.

    Current: active (not revoked) and valid on the day, both ends included. When several are, the one
    valid longest (latest `valid_to`), then the most recently valid (latest `valid_from`), then the newest
    row: the card the volunteer can show the longest.
    """

    CURRENT_ORDER = ("-valid_to", "-valid_from", "-pk")

    def active(self):
        """Neither revoked nor reported lost, whatever its dates."""
        return self.filter(status=HonorCard.Status.ACTIVE)

    def valid_on(self, day):
        return self.active().filter(valid_from__lte=day, valid_to__gte=day)

    def current_for(self, volunteer, today=None):
        """The volunteer's current card on `today` (a User or a user id), or None."""
        today = today or timezone.localdate()
        volunteer_id = getattr(volunteer, "pk", volunteer)
        return self.valid_on(today).filter(volunteer_id=volunteer_id).order_by(*self.CURRENT_ORDER).first()

    def current_for_many(self, volunteer_ids, today=None):
        """{volunteer id: current card} for many volunteers in one query; those without one are left out."""
        today = today or timezone.localdate()
        current = {}
        for card in self.valid_on(today).filter(volunteer_id__in=volunteer_ids).order_by(
            "volunteer_id", *self.CURRENT_ORDER
        ):
            current.setdefault(card.volunteer_id, card)
        return current


class HonorCard(models.Model):
    """志願服務榮譽卡: valid 3 years; the hours of its counting window never count again."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        LOST = "lost", _("已掛失")  # stopped at once when reported; the authority issues a replacement
        REPLACED = "replaced", _("已補發新卡")
        REVOKED = "revoked", _("已註銷")

    class Kind(models.TextChoices):
        FIRST = "first", _("初次")
        RENEWAL = "renewal", _("換發")
        REPLACEMENT = "replacement", _("補發")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="honor_cards")
    number = models.CharField(_("卡號"), max_length=30)
    authority = models.ForeignKey(Authority, verbose_name=_("發卡機關"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("有效期間起"))
    valid_to = models.DateField(_("有效期間迄"))
    counted_from = models.DateField(_("採計期間起"), null=True, blank=True)
    counted_to = models.DateField(_("採計期間迄"), null=True, blank=True)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("發卡類別"), max_length=12, choices=Kind.choices, default=Kind.FIRST)
    replaces = models.OneToOneField("self", verbose_name=_("補發自"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="replacement")
    ended_at = models.DateTimeField(_("停用時間"), null=True, blank=True)
    ended_reason = models.CharField(_("停用原因"), max_length=200, blank=True)

    objects = HonorCardQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="honor_card_number_unique"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="honor_card_valid_range"),
        ]
        verbose_name = _("志願服務榮譽卡")
        verbose_name_plural = pgettext_lazy("plural", "志願服務榮譽卡")

    def __str__(self):
        return f"{self.number}"

    def is_valid_on(self, day):
        return self.status == self.Status.ACTIVE and self.valid_from <= day <= self.valid_to

    def state_on(self, day):
        """'valid', 'expired', 'future' or 'revoked' on `day`."""
        if self.status != self.Status.ACTIVE:
            return "revoked"
        if self.valid_to < day:
            return "expired"
        if self.valid_from > day:
            return "future"
        return "valid"


class CardEvent(models.Model):
    """One step of a card's life, as the volunteer sees it under 榮譽卡紀錄: issued (初次, 換發, 補發),
    reported lost, replaced, revoked by the authority with its reason."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("核發")
        REPORTED_LOST = "reported_lost", _("掛失")
        REPLACED = "replaced", _("補發新卡")
        REVOKED = "revoked", _("註銷")

    card = models.ForeignKey(HonorCard, verbose_name=_("榮譽卡"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("事項"), max_length=16, choices=Action.choices)
    at = models.DateTimeField(_("時間"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("經辦人"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("榮譽卡異動")
        verbose_name_plural = pgettext_lazy("plural", "榮譽卡異動")

    def __str__(self):
        return f"{self.card_id} {self.get_action_display()}"


class Application(models.Model):
    """Shared by honor-card and award applications: a unit applies, the authority decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("審核中")
        APPROVED = "approved", _("已核准")
        REJECTED = "rejected", _("已駁回")
        CANCELLED = "cancelled", _("已撤回")

    volunteer = models.ForeignKey(USER, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", verbose_name=pgettext_lazy("the unit that applied", "申請單位"),
                             on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Authority, verbose_name=_("審核機關"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    hours = models.DecimalField(_("採計時數"), max_digits=8, decimal_places=1)
    months = models.PositiveSmallIntegerField(_("年資(月)"), default=0)
    window_start = models.DateField(_("採計期間起"), null=True, blank=True)
    window_end = models.DateField(_("採計期間迄"), null=True, blank=True)
    applied_by = models.ForeignKey(USER, verbose_name=_("申請人"), on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    applied_at = models.DateTimeField(_("申請時間"), default=timezone.now)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("審核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("審核時間"), null=True, blank=True)
    decision_note = models.CharField(_("審核說明"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["-applied_at", "-id"]

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class HonorCardApplication(Application):
    card = models.OneToOneField(
        HonorCard, verbose_name=_("核發之榮譽卡"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="application",
    )

    class Meta(Application.Meta):
        constraints = [
            models.UniqueConstraint(fields=["volunteer"], condition=Q(status="pending"),
                                    name="one_pending_card_application"),
        ]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["authority", "status"])]
        verbose_name = _("榮譽卡申請")
        verbose_name_plural = pgettext_lazy("plural", "榮譽卡申請")

    def __str__(self):
        return gettext("榮譽卡申請 %(volunteer)s %(status)s") % {"volunteer": self.volunteer_id,
                                                               "status": self.get_status_display()}


class AwardApplication(Application):
    """衛生福利志願服務獎勵 (badges) or 志願服務獎勵 (medals); approval writes the records.Award row."""

    SCHEMES = [(Rule.Scheme.HEALTH_BADGE.value, _("衛生福利志願服務獎勵")),
               (Rule.Scheme.VOLUNTEER_MEDAL.value, _("志願服務獎勵"))]

    scheme = models.CharField(_("獎勵類別"), max_length=20, choices=SCHEMES)
    rule = models.ForeignKey(Rule, verbose_name=_("申請等級"), on_delete=models.PROTECT, related_name="+")
    award = models.OneToOneField(
        "records.Award", verbose_name=_("獎勵紀錄"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(Application.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "scheme"], condition=Q(status="pending"), name="one_pending_award_application"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["authority", "status"])]
        verbose_name = _("獎勵申請")
        verbose_name_plural = pgettext_lazy("plural", "獎勵申請")

    def __str__(self):
        return f"{self.rule} {self.get_status_display()}"


class CardToken(models.Model):
    """One QR code of an electronic honor card: good for one successful check within 5 minutes.

    Only the SHA-256 of the random token is stored; the token itself carries no personal data.
    """

    card = models.ForeignKey(HonorCard, verbose_name=_("榮譽卡"), on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(_("雜湊"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("產生時間"), default=timezone.now)
    expires_at = models.DateTimeField(_("逾時時間"))
    used_at = models.DateTimeField(_("使用時間"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作廢時間"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["card", "-created_at"])]
        verbose_name = _("榮譽卡 QR code")
        verbose_name_plural = pgettext_lazy("plural", "榮譽卡 QR code")

    def __str__(self):
        return f"{self.card_id} {self.created_at:%Y-%m-%d %H:%M:%S}"

    def state(self, now):
        if self.used_at:
            return "used"
        if self.voided_at:
            return "voided"
        if self.expires_at <= now:
            return "expired"
        return "live"


class CardCheck(models.Model):
    """Every venue check, whatever its verdict: the volunteer sees their card's history."""

    class Verdict(models.TextChoices):
        # The venue's verdicts have their own context: bare words such as 有效 mean other things elsewhere.
        VALID = "valid", pgettext_lazy("check verdict", "有效")
        USED = "used", pgettext_lazy("check verdict", "已使用")
        EXPIRED = "expired", pgettext_lazy("check verdict", "已逾時")
        VOIDED = "voided", pgettext_lazy("check verdict", "已作廢")
        CARD_INVALID = "card_invalid", pgettext_lazy("check verdict", "卡片已失效")
        UNKNOWN = "unknown", pgettext_lazy("check verdict", "查無此條碼")

    card = models.ForeignKey(
        HonorCard, verbose_name=_("榮譽卡"), on_delete=models.CASCADE, null=True, blank=True, related_name="checks"
    )
    token = models.ForeignKey(CardToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks")
    at = models.DateTimeField(_("驗證時間"), default=timezone.now)
    verdict = models.CharField(_("結果"), max_length=12, choices=Verdict.choices)
    ip_address = models.GenericIPAddressField(_("來源位址"), null=True, blank=True)
    user_agent = models.CharField(_("裝置"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["card", "-at"])]
        verbose_name = _("榮譽卡驗證紀錄")
        verbose_name_plural = pgettext_lazy("plural", "榮譽卡驗證紀錄")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_verdict_display()}"


# zh-only: Taiwan's 22 municipalities, counties and cities (place names; the import's file format too)
CITIES = (
    "基隆市", "臺北市", "新北市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市", "彰化縣", "南投縣", "雲林縣",
    "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
)


class VenueQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Venues honouring the card on `day`: not ended, and the day within their valid period (an empty end
        date: open-ended). Every page that lists venues for the public asks this."""
        return self.filter(ended_at__isnull=True, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Venue(models.Model):
    """榮譽卡優惠場所: a place that honours the honor card (志願服務法 §20), kept by a local competent authority."""

    class Category(models.TextChoices):
        SCENIC = "scenic", _("風景遊憩區")
        RECREATION = "recreation", _("康樂場所")
        CULTURE = "culture", _("文教設施")
        SPORTS = "sports", _("運動場館")
        OTHER = "other", _("其他")

    authority = models.ForeignKey(Authority, verbose_name=_("主管機關"), on_delete=models.PROTECT,
                                  related_name="venues")
    name = models.CharField(_("場所名稱"), max_length=100)
    city = models.CharField(_("縣市"), max_length=3, choices=[(city, city) for city in CITIES])
    district = models.CharField(_("鄉鎮市區"), max_length=10)
    category = models.CharField(_("類別"), max_length=12, choices=Category.choices)
    benefit = models.CharField(_("優惠內容"), max_length=200)
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("電話"), max_length=30, blank=True)
    opening_hours = models.CharField(_("開放時間"), max_length=200, blank=True)
    valid_from = models.DateField(_("優惠期間起"))
    valid_to = models.DateField(_("優惠期間迄"), null=True, blank=True)
    ended_at = models.DateTimeField(_("停止時間"), null=True, blank=True)
    ended_reason = models.CharField(_("停止原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("建立時間"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新時間"), default=timezone.now)

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["city", "district", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name", "address"], name="venue_unique_per_authority"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="venue_valid_range"),
        ]
        indexes = [models.Index(fields=["city", "category"])]
        verbose_name = _("榮譽卡優惠場所")
        verbose_name_plural = pgettext_lazy("plural", "榮譽卡優惠場所")

    def __str__(self):
        return self.name

    def is_valid_on(self, day):
        return self.ended_at is None and self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_valid_today(self):
        return self.is_valid_on(timezone.localdate())
