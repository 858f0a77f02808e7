import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from volnet.accounts.models import SignInEvent
from volnet.accounts.services import record_event

SIGNED_IN_AT = "volnet_signed_in_at"


def note_sign_in_time(sender, request, user, **kwargs):
    """user_logged_in: every way in (the sign-in pages, the staff second factor, tests' force_login) starts
    the absolute clock."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """A session ends SESSION_ABSOLUTE_AGE seconds after signing in, however busy it was (the idle timeout
    is SESSION_COOKIE_AGE, renewed by every request). The next request is signed out and sent to the
    sign-in page it came from, with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if not isinstance(signed_in_at, int):
                request.session[SIGNED_IN_AT] = now  # a session older than this rule: its clock starts now
            elif now - signed_in_at >= settings.SESSION_ABSOLUTE_AGE:
                return self.sign_out(request, user)
        return self.get_response(request)

    def sign_out(self, request, user):
        site = request.session.get("volnet_site", SignInEvent.Site.PORTAL)
        record_event(request, user, SignInEvent.Result.LOGOUT, site)
        logout(request)
        hours = max(1, settings.SESSION_ABSOLUTE_AGE // 3600)
        messages.info(request, ngettext(
            "您登入已超過 %(hours)s 小時，為保護帳號安全，請重新登入。",
            "您登入已超過 %(hours)s 小時，為保護帳號安全，請重新登入。",
            hours,
        ) % {"hours": hours})
        target = reverse("accounts:staff_login" if site == SignInEvent.Site.BACKOFFICE else "accounts:login")
        if request.method == "GET" and request.path != target:
            return redirect_to_login(request.get_full_path(), target)
        return redirect(target)


class PasswordChangeRequiredMiddleware:
    """A temporary password (set by staff) must be replaced before anything else (manual B-2).

    While `must_change_password` is set, every page but the change page itself, logout, the captcha
    media and static files redirects to the change page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def allowed(self):
        if self._allowed is None:
            self._allowed = {reverse("accounts:password_change_required"), reverse("accounts:logout")}
        return self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            path = request.path
            if path not in self.allowed() and not path.startswith(("/static/", "/accounts/captcha/")):
                return redirect(reverse("accounts:password_change_required"))
        return self.get_response(request)
