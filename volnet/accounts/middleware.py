from django.shortcuts import redirect
from django.urls import reverse


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
