"""The gate of every back-office view: signed in, with a staff role, and, for staff who turned on
two-factor sign-in, with the second factor checked in this session.

The last condition closes a side door: a staff member with TOTP who signs in on the volunteers'
login (password only) must not reach the back office without the code.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from volnet.accounts import twofactor
from volnet.units import access


def _to_staff_login(request):
    return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))


def _gate(check, refusal):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_staff_login(request)
            if not check(request.user):
                raise PermissionDenied(refusal)
            if twofactor.needs_verification(request.user):
                return _to_staff_login(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = _gate(access.is_staff_member, _("此頁面僅限運用單位或主管機關工作人員使用。"))
authority_required = _gate(access.is_authority_staff, _("此頁面僅限主管機關工作人員使用。"))
