from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.lib.conditions import holds
from volnet.units.choices import ServiceCategory


class Authority(models.Model):
    """主管機關 or 目的事業主管機關. The competent authority of a unit issues its record books."""

    class Kind(models.TextChoices):
        COMPETENT = "competent", _("主管機關")
        SECTOR = "sector", _("目的事業主管機關")

    class Level(models.TextChoices):
        CENTRAL = "central", _("中央")
        MUNICIPAL = "municipal", _("直轄市")
        COUNTY = "county", _("縣(市)")

    code = models.CharField(_("代碼"), max_length=20, unique=True)
    name = models.CharField(_("名稱"), max_length=100)
    kind = models.CharField(_("類型"), max_length=10, choices=Kind.choices, default=Kind.COMPETENT)
    level = models.CharField(_("層級"), max_length=10, choices=Level.choices, default=Level.MUNICIPAL)
    parent = models.ForeignKey(
        "self", verbose_name=_("上級機關"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # An authority may count service hours in a smallest unit (嘉義縣: 0.5 h, rounded down).
    hour_rounding_step = models.DecimalField(
        _("時數最小單位"), max_digits=3, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("主管機關")
        verbose_name_plural = _("主管機關")

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def taking_new_work(self):
        """Units in operation (Unit.TAKES_NEW_WORK; units.operating refuses new work to the others)."""
        return self.filter(Unit.TAKES_NEW_WORK)

    def served_by(self, person):
        """The units the person serves in now (an ACTIVE membership)."""
        return self.filter(pk__in=Membership.objects.active().filter(volunteer=person).values("unit_id"))


class Unit(models.Model):
    """運用單位: an association and its volunteer teams form a tree. The code is opaque (`2-299`)."""

    class Status(models.TextChoices):
        OPERATING = "operating", _("運作中")
        CLOSED = "closed", _("已停止運作")
        MERGED = "merged", _("已併入其他單位")

    code = models.CharField(_("單位代碼"), max_length=20, blank=True)
    name = models.CharField(_("單位名稱"), max_length=120)
    parent = models.ForeignKey(
        "self", verbose_name=_("上級單位"), on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    authority = models.ForeignKey(
        Authority, verbose_name=_("主管機關"), on_delete=models.PROTECT, related_name="units"
    )
    sector_authority = models.ForeignKey(
        Authority,
        verbose_name=_("目的事業主管機關"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sector_units",
    )
    category = models.CharField(_("服務類別"), max_length=20, choices=ServiceCategory.choices, blank=True)
    # 志願服務法 §7: a government body or public school whose mission covers the plan reports yearly only.
    public_body = models.BooleanField(_("政府機關或公立學校"), default=False)
    # 鄉鎮市區 of the unit's address, for the statistics' districts (e.g. 西屯區); the city is the authority's.
    district = models.CharField(_("鄉鎮市區"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("聯絡人"), max_length=60, blank=True)
    phone = models.CharField(_("電話"), max_length=30, blank=True)
    email = models.EmailField(_("電子信箱"), blank=True)
    # A closed or merged unit keeps every record and book it made (readable); it takes no new work.
    # `is_active` says "operating" for the pages that only ask that; `desk.services` keeps both in step.
    status = models.CharField(_("單位狀態"), max_length=10, choices=Status.choices, default=Status.OPERATING)
    successor = models.ForeignKey(
        "self", verbose_name=_("併入單位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="predecessors",
    )
    closed_on = models.DateField(_("結束運作日期"), null=True, blank=True)
    is_active = models.BooleanField(_("運作中"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    # In operation: `is_active` is kept in step with `status` by desk.services. A closed or merged unit takes no
    # new work (units.operating); what it has waits for nobody.
    TAKES_NEW_WORK = Q(status="operating", is_active=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="unit_code_unique"),
        ]
        verbose_name = _("運用單位")
        verbose_name_plural = _("運用單位")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """As the manual prints it: the code glued to the name, `2-299臺中市樂樂發展協會-樂樂志工隊(測試用)`."""
        return f"{self.code}{self.name}"


class MembershipQuerySet(models.QuerySet):
    """The states of a membership that the rules talk about, each defined once (see Membership)."""

    def active(self):
        """Serving now."""
        return self.filter(Membership.ACTIVE)

    def accepted(self):
        """Agreed to by the person (serving or ended): the unit sees who they are."""
        return self.filter(status__in=Membership.ACCEPTED)

    def open(self):
        """Serving or asked: at most one per person and unit."""
        return self.filter(status__in=Membership.OPEN)

    def requests(self):
        """The unit's join requests: unanswered or declined."""
        return self.filter(status__in=Membership.REQUESTS)

    def awaiting_answer(self):
        """A question the person has to answer in 我的檔案 (Membership.AWAITS_ANSWER)."""
        return self.filter(Membership.AWAITS_ANSWER)


class Membership(models.Model):
    """A volunteer serving in a unit. Ending it keeps every record the unit entered.

    Joining is the person's choice (domain.md §9.12): a unit that adds an existing account asks, and the
    membership is PENDING until the person accepts (ACTIVE) or declines (DECLINED) in 我的檔案. A person
    the unit created an account for (`created_account`) is ACTIVE at once, but the unit manages their
    sign-in only until they first sign in, unless they then confirm the unit (`answered_at`).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("服務中")
        ENDED = "ended", _("已離隊")
        PENDING = "pending", _("待志工同意")
        DECLINED = "declined", _("志工未同意")

    # Serving now (Membership.objects.active(); the statistics count it with this too).
    ACTIVE = Q(status=Status.ACTIVE)
    # Memberships the person agreed to (or that came before the rule): the unit sees who they are.
    ACCEPTED = (Status.ACTIVE, Status.ENDED)
    # At most one of these per person and unit.
    OPEN = (Status.ACTIVE, Status.PENDING)
    # The unit asked; the person has not accepted (yet).
    REQUESTS = (Status.PENDING, Status.DECLINED)
    # The unit created the account and the person has not confirmed the unit since.
    UNCONFIRMED = Q(created_account=True, answered_at__isnull=True)
    # The person has a question to answer: join this unit, or confirm the unit that created their account.
    AWAITS_ANSWER = Q(status=Status.PENDING) | (Q(status=Status.ACTIVE) & UNCONFIRMED)

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志工"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("運用單位"), on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    left_on = models.DateField(_("離隊日期"), null=True, blank=True)
    # 見習/實習: hours served before this date never count (domain.md §3.2).
    trial_until = models.DateField(_("見習期至"), null=True, blank=True)
    volunteer_number = models.CharField(_("志工編號"), max_length=30, blank=True)
    # The unit opened the person's account with this membership (there was no account before).
    created_account = models.BooleanField(_("由單位建立帳號"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀請人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("邀請時間"), null=True, blank=True)
    # When the person accepted or declined the unit's request (or confirmed a unit that created the account).
    answered_at = models.DateTimeField(_("志工回覆時間"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "unit"], condition=Q(status__in=["active", "pending"]),
                name="one_open_membership_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]
        verbose_name = _("志工隊員")
        verbose_name_plural = _("志工隊員")

    def __str__(self):
        return f"{self.volunteer} @ {self.unit}"

    @property
    def awaits_answer(self):
        return holds(self.AWAITS_ANSWER, self)

    @property
    def is_active(self):
        return holds(self.ACTIVE, self)

    @property
    def is_accepted(self):
        return self.status in self.ACCEPTED


class StaffRoleQuerySet(models.QuerySet):
    def in_force(self):
        """Roles that grant something now (StaffRole.IN_FORCE)."""
        return self.filter(StaffRole.IN_FORCE)


class StaffRole(models.Model):
    """A staff member's role in exactly one unit or one authority."""

    class Role(models.TextChoices):
        HEAD = "head", _("負責人")
        UNIT_ADMIN = "unit_admin", _("單位管理員")
        SUPERVISOR = "supervisor", _("志工督導")
        CLERK = "clerk", _("承辦人")
        AUTHORITY_STAFF = "authority_staff", _("主管機關承辦人")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles")
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    class Status(models.TextChoices):
        PENDING = "pending", _("待本人同意")
        ACTIVE = "active", _("在職")
        DECLINED = "declined", _("本人未同意")
        ENDED = "ended", _("已卸任")

    # Invited or in force: at most one of each role per person and unit (or authority).
    OPEN = (Status.PENDING, Status.ACTIVE)
    # In force: accepted and neither ended nor switched off. Every access, review step and staff notice asks this.
    IN_FORCE = Q(is_active=True, status=Status.ACTIVE)

    # "Valid" elsewhere (a card, a book); a staff role is in force or not. Only an ACTIVE role is in force:
    # an invitation counts for nothing until the person accepts it in 我的檔案 (domain.md §9.12).
    is_active = models.BooleanField(pgettext_lazy("staff role in force", "有效"), default=True)
    status = models.CharField(_("狀態"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀請人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("邀請時間"), null=True, blank=True)
    answered_at = models.DateTimeField(_("本人回覆時間"), null=True, blank=True)
    ended_on = models.DateField(_("卸任日期"), null=True, blank=True)
    end_reason = models.CharField(_("卸任原因"), max_length=200, blank=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(authority__isnull=True))
                | (Q(unit__isnull=True) & Q(authority__isnull=False)),
                name="staff_role_unit_xor_authority",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=Q(unit__isnull=False, status__in=["pending", "active"]),
                name="staff_role_open_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "authority"],
                condition=Q(authority__isnull=False, status__in=["pending", "active"]),
                name="staff_role_open_authority_unique",
            ),
        ]
        verbose_name = _("工作人員角色")
        verbose_name_plural = _("工作人員角色")

    def __str__(self):
        return f"{self.user.name} {self.get_role_display()} {self.unit or self.authority}"
