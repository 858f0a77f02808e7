from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


class PasswordChangeRequiredMiddleware:
    """A temporary password (set by staff) must be replaced before anything else (manual B-2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            try:
                target = reverse("accounts:password_change_required")
                allowed = {target, reverse("accounts:logout")}
            except NoReverseMatch:
                return self.get_response(request)
            if request.path not in allowed and not request.path.startswith(("/static/", "/accounts/captcha")):
                return redirect(target)
        return self.get_response(request)
