"""The gate of every back-office view: signed in, on the staff sign-in, with a staff role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from volnet.units import access


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))
        if not access.is_staff_member(request.user):
            raise PermissionDenied("此頁面僅限運用單位或主管機關工作人員使用。")
        return view(request, *args, **kwargs)

    return wrapper


def authority_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))
        if not access.is_authority_staff(request.user):
            raise PermissionDenied("此頁面僅限主管機關工作人員使用。")
        return view(request, *args, **kwargs)

    return wrapper
