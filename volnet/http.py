"""What views read from a request the same way everywhere: a whole number from a form or query string,
and a `next` address that may be followed."""

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
