"""/admin/ behind the site's own staff sign-in, for system administrators (superusers) only.

Django's admin has a login form of its own: a bare password check with no captcha, lockout, throttle,
second factor or sign-in record. Here it is gone: /admin/login/ sends the visitor to the staff sign-in
(which has all of those) with `next` pointing back, and every admin page asks for

- a signed-in superuser (anyone else signed in gets 403: `is_staff` alone opens nothing),
- who has set up the second factor (ASVS 4.3.1: an administrative interface needs multi-factor
  authentication): a superuser without one is sent to 帳號安全 to set it up first, and
- a session that passed it (a session from the volunteers' login, password only, is sent to the staff
  sign-in again).

django-otp's OTPAdminSite was not used: its login form is a second password check beside ours, and it
refuses every superuser without a device rather than asking the second factor of those who have one.

volnet.accounts.adminapp makes this the default admin site (`admin.site`).
"""

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from volnet.accounts import twofactor
from volnet.http import safe_next


def _is_administrator(user):
    return user.is_authenticated and user.is_active and user.is_superuser


class StaffSignInAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        return _is_administrator(user) and twofactor.is_enrolled(user) and not twofactor.needs_verification(user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            if request.user.is_authenticated and not _is_administrator(request.user):
                raise PermissionDenied(_("系統管理僅限系統管理員使用。"))
            if request.user.is_authenticated and not twofactor.is_enrolled(request.user):
                messages.warning(request, _("進入系統管理之前，請先設定兩步驟驗證。"))
                return redirect("accounts:staff_security")
            if not self.has_permission(request):
                return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))
            return inner(request, *args, **kwargs)

        return update_wrapper(gate, view)

    def login(self, request, extra_context=None):
        """No password is checked here: the staff sign-in, then back to where the visitor was going."""
        target = safe_next(request, request.GET.get("next"), reverse("admin:index"))
        return redirect_to_login(target, reverse("accounts:staff_login"))

    def logout(self, request, extra_context=None):
        """The site's own sign-out, so it shows in 登入訊息."""
        from volnet.accounts.views import logout

        return logout(request)

    def password_change(self, request, extra_context=None):
        """The site's own change page: the password rules, and a wrong current password counts toward the
        lockout."""
        return redirect("accounts:password_change")
