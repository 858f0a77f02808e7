from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.lib import masking, twid


def validate_id_number(value):
    try:
        twid.validate(value)
    except twid.IdNumberError as error:
        raise ValidationError(str(error)) from None


# A self sign-up (加入會員) nobody has yet shown to be theirs: the e-mail link never followed, never signed
# in to. Accounts a unit created, or that anyone has signed in to, or whose address was proven, are never one.
UNVERIFIED_SIGN_UP = Q(signup_pending=True, email_verified_at__isnull=True, last_login__isnull=True)


class UserQuerySet(models.QuerySet):
    def unverified_sign_ups(self):
        """The accounts that are only an unverified self sign-up (see User.is_unverified_sign_up)."""
        return self.filter(UNVERIFIED_SIGN_UP)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, national_id, password=None, **extra):
        national_id = twid.validate(national_id)
        user = self.model(national_id=national_id, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, national_id, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("name", "系統管理員")  # zh-only: stored in the database as the account's name
        return self.create_user(national_id, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person, keyed by 身分證字號 or 居留證號 (normalised, checksum-valid)."""

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")
        OTHER = "X", _("其他")

    national_id = models.CharField(
        _("身分證號碼(居留證號碼)"), max_length=twid.LONGEST, unique=True, validators=[validate_id_number]
    )
    name = models.CharField(_("姓名"), max_length=60)
    birth_date = models.DateField(_("出生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices, blank=True)
    email = models.EmailField(_("電子信箱"), blank=True)
    email_verified_at = models.DateTimeField(_("信箱驗證時間"), null=True, blank=True)
    phone = models.CharField(_("電話"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    emergency_contact = models.CharField(_("緊急聯絡人"), max_length=60, blank=True)
    emergency_phone = models.CharField(_("緊急聯絡電話"), max_length=30, blank=True)
    photo = models.ImageField(_("大頭照"), upload_to="photos/", blank=True)

    is_active = models.BooleanField(pgettext_lazy("account state", "啟用"), default=True)
    is_staff = models.BooleanField(_("可進入系統管理"), default=False)
    date_joined = models.DateTimeField(_("建立時間"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登入須變更密碼"), default=False)
    password_changed_at = models.DateTimeField(_("密碼變更時間"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("連續登入失敗次數"), default=0)
    locked_until = models.DateTimeField(_("鎖定至"), null=True, blank=True)
    # 加入會員: the account exists (it holds the ID number) but cannot sign in until the email is verified.
    signup_pending = models.BooleanField(_("加入會員待驗證信箱"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "national_id"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("使用者")
        verbose_name_plural = _("使用者")

    def __str__(self):
        return masking.person_label(self.name, self.national_id)

    @property
    def masked_id(self):
        return masking.mask_id(self.national_id)

    @property
    def is_unverified_sign_up(self):
        """Only a pending self sign-up: whoever typed this ID number has not proven the e-mail address and
        has never signed in. It holds no one's account yet: a new sign-up with the number releases it, and
        a unit looking the number up should say so. Same rule as User.objects.unverified_sign_ups()."""
        return self.signup_pending and self.email_verified_at is None and self.last_login is None

    def set_password(self, raw_password):
        # Remember the hash being replaced: save() files it in PasswordHistory (the last-3 rule).
        if self.pk and self.password and self.has_usable_password() and not hasattr(self, "_replaced_password"):
            self._replaced_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        replaced = self.__dict__.pop("_replaced_password", None)
        if replaced and replaced != self.password:
            PasswordHistory.objects.create(user=self, password=replaced)
            stale = self.password_history.values_list("pk", flat=True)[PasswordHistory.KEEP :]
            PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    @property
    def is_locked(self):
        return bool(self.locked_until and self.locked_until > timezone.now())

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so the last three cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(default=timezone.now)

    KEEP = 5

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("密碼歷程")
        verbose_name_plural = _("密碼歷程")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SignInEvent(models.Model):
    """Every sign-in attempt, successful or not: the 登入訊息 page and the lockout read it."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("登入成功")
        BAD_CREDENTIALS = "bad_credentials", _("帳號或密碼錯誤")
        BAD_CAPTCHA = "bad_captcha", _("驗證碼錯誤")
        LOCKED = "locked", _("帳號鎖定中")
        THROTTLED = "throttled", _("嘗試次數過多")
        SECOND_FACTOR_FAILED = "otp_failed", _("兩步驟驗證失敗")
        NOT_STAFF = "not_staff", _("無志工後台權限")
        UNVERIFIED = "unverified", _("信箱尚未驗證")
        INACTIVE = "inactive", _("帳號已停用")
        LOGOUT = "logout", pgettext_lazy("sign-in history: the event", "登出")
        # Changes to how the account signs in, shown beside the sign-ins so the owner notices them.
        SECOND_FACTOR_ENROLLED = "otp_enrolled", pgettext_lazy("sign-in history: the event", "啟用兩步驟驗證")
        SECOND_FACTOR_REMOVED = "otp_removed", pgettext_lazy("sign-in history: the event", "停用兩步驟驗證")
        RECOVERY_CODES_ISSUED = "otp_codes_new", pgettext_lazy("sign-in history: the event", "重新產生備用碼")
        RECOVERY_CODE_USED = "otp_code_used", pgettext_lazy("sign-in history: the event", "使用備用碼")
        REAUTH_FAILED = "reauth_failed", pgettext_lazy("sign-in history: the event", "變更資料時密碼錯誤")
        # A unit managed the person's sign-in (issue 11): shown to the person, never a failure.
        UNIT_TEMPORARY_PASSWORD = "unit_temp_password", _("單位設定臨時密碼")
        UNIT_RESET_LINK = "unit_reset_link", _("單位寄送重設密碼連結")
        UNIT_EMAIL = "unit_email", _("單位修改電子信箱")
        UNIT_PHONE = "unit_phone", _("單位修改電話")

    # Not failures: 登入訊息 shows them without the warning badge, and the count of failures reported
    # at the next sign-in leaves them out.
    NOT_FAILURES = frozenset({
        Result.SUCCESS, Result.LOGOUT, Result.SECOND_FACTOR_ENROLLED, Result.SECOND_FACTOR_REMOVED,
        Result.RECOVERY_CODES_ISSUED, Result.RECOVERY_CODE_USED,
        Result.UNIT_TEMPORARY_PASSWORD, Result.UNIT_RESET_LINK, Result.UNIT_EMAIL, Result.UNIT_PHONE,
    })

    class Site(models.TextChoices):
        PORTAL = "portal", _("志工前台")
        BACKOFFICE = "backoffice", _("志工後台")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="sign_in_events"
    )
    at = models.DateTimeField(_("時間"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("來源位址"), null=True, blank=True)
    user_agent = models.CharField(_("裝置"), max_length=300, blank=True)
    result = models.CharField(_("結果"), max_length=20, choices=Result.choices)
    site = models.CharField(_("網站"), max_length=12, choices=Site.choices, default=Site.PORTAL)
    # For the UNIT_* results: who acted and for which unit, as they were named at the time.
    by_name = models.CharField(_("操作人"), max_length=60, blank=True)
    by_unit = models.CharField(_("操作單位"), max_length=150, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"])]
        verbose_name = _("登入紀錄")
        verbose_name_plural = _("登入紀錄")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_result_display()}"

    @property
    def is_failure(self):
        return self.result not in self.NOT_FAILURES

    @property
    def by_unit_notice(self):
        """What a unit did, as a sentence for the person (登入訊息): 「… 的 何小倫 為您設定了臨時密碼」."""
        sentence = _BY_UNIT_SENTENCES.get(self.result)
        return str(sentence) % {"unit": self.by_unit, "name": self.by_name} if sentence else ""


_BY_UNIT_SENTENCES = {
    SignInEvent.Result.UNIT_TEMPORARY_PASSWORD: _("%(unit)s 的 %(name)s 為您設定了臨時密碼"),
    SignInEvent.Result.UNIT_RESET_LINK: _("%(unit)s 的 %(name)s 寄給您重設密碼的連結"),
    SignInEvent.Result.UNIT_EMAIL: _("%(unit)s 的 %(name)s 修改了您的電子信箱"),
    SignInEvent.Result.UNIT_PHONE: _("%(unit)s 的 %(name)s 修改了您的電話"),
}


class SpentCaptcha(models.Model):
    """A captcha code that has been checked once. The key is the primary key, so of several requests
    carrying the same code at the same moment, in one process or many, exactly one inserts it: that one
    may be accepted. Rows are kept until the code would have expired anyway."""

    key = models.CharField(max_length=32, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("已使用的驗證碼")
        verbose_name_plural = _("已使用的驗證碼")

    def __str__(self):
        return self.key


class RecoveryCode(models.Model):
    """One unused recovery code (備用碼) of a staff member's second factor, kept only as a salted, keyed
    hash (accounts.recoverycodes): the code itself is shown once and stored nowhere. Used codes are
    deleted; the codes go with their django-otp static device."""

    device = models.ForeignKey("otp_static.StaticDevice", on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("備用碼")
        verbose_name_plural = _("備用碼")

    def __str__(self):
        return f"{self.device_id}:{self.pk}"
