"""What views read from a request the same way everywhere: a whole number from a form or query string,
a `next` address that may be followed, the client's network address; and no NUL in the address."""

import ipaddress

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme


def int_or_none(value):
    """`"12"` → 12; anything else (missing, "abc", a list) → None, so a bad id is a 404, never a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def safe_next(request, target, fallback):
    """`target` if it stays on this site, else `fallback`: a `next` from a form or a link must never
    send a volunteer to another site (an open redirect)."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def client_ip(request):
    """The visitor's network address, for throttles, the audit log, sign-in events and venue checks.

    X-Forwarded-For is believed only as far as the TRUSTED_PROXY_COUNT proxies in front of the app: each
    appends the address it saw, so with n proxies the client is the n-th address from the right and
    everything left of it was written by the client. With no proxy (the default) the header is ignored.
    Always an address ("0.0.0.0" when nothing is known), so it can key a counter."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= proxies:
            candidates.insert(0, forwarded[-proxies])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return "0.0.0.0"


class RefuseNulMiddleware:
    """A NUL character in the address (its path or query string) is answered with the 400 page. No one types
    one; PostgreSQL refuses it in text, so any view that searches with a query parameter failed with a 500;
    Django's forms already refuse it in what is posted, and the address is what reaches views unchecked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            raise BadRequest("NUL in the address")
        return self.get_response(request)
