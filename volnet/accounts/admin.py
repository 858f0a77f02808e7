from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from volnet.accounts.models import PasswordHistory, RecoveryCode, SignInEvent, SpentCaptcha, User
from volnet.viewonly import ViewOnlyAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["national_id"]
    list_display = ["national_id", "name", "email", "is_staff", "is_active", "locked_until"]
    search_fields = ["national_id", "name", "email"]
    list_filter = ["is_staff", "is_active", "signup_pending", "sex"]
    fieldsets = [
        (None, {"fields": ["national_id", "password", "must_change_password"]}),
        (_("個人資料"), {"fields": ["name", "birth_date", "sex", "email", "email_verified_at", "phone", "address",
                                  "emergency_contact", "emergency_phone", "photo"]}),
        (_("權限"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (pgettext_lazy("admin: fields about signing in", "登入"), {
            "fields": ["last_login", "date_joined", "failed_logins", "locked_until", "password_changed_at",
                       "signup_pending"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["national_id", "name", "password1", "password2"]})]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "result", "site", "ip_address"]
    list_filter = ["result", "site"]
    raw_id_fields = ["user"]


@admin.register(PasswordHistory)
class PasswordHistoryAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]


@admin.register(SpentCaptcha)
class SpentCaptchaAdmin(ViewOnlyAdmin):
    """Read only: a row exists so that a checked captcha code cannot pass a second time."""

    list_display = ["key", "expires_at"]


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ViewOnlyAdmin):
    """Read only: how many unused recovery codes a device has. Each row is a hash; no code can be read back,
    and none can be added here (new ones come from 帳號安全, shown once to their owner)."""

    list_display = ["device", "id"]
    raw_id_fields = ["device"]
    exclude = ["digest"]
