"""Counters of failed or costly attempts per address and per ID number, kept in the cache by
django-ratelimit (Redis when REDIS_URL is set, so every process shares them)."""

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import _split_rate, get_usage

from volnet.http import client_ip

# Defaults; each can be overridden in settings as VOLNET_RATE_<NAME>.
RATES = {
    "signin_ip": "20/15m",  # failed sign-ins from one address, whatever the accounts
    "forgot_ip": "10/h",  # 忘記密碼 requests from one address
    "forgot_id": "3/h",  # 忘記密碼 requests for one ID number
    "signup_ip": "10/h",  # 加入會員 attempts from one address
    "verify_mail": "3/h",  # verification mails re-sent for one ID number
    # The public venue check: a busy entrance scans a code every few seconds (a few staff behind one
    # address at most about one a second); made-up codes are what someone guessing sends.
    "venue_check_ip": "120/m",  # honor-card checks from one address, whatever the codes
    "venue_unknown_ip": "10/15m",  # checks of codes that do not exist (查無此條碼) from one address
    # The public document verification: a school checks a handful; a guesser sends unknown codes.
    "document_check_ip": "60/m",  # verification pages from one address
    "document_unknown_ip": "10/15m",  # codes that do not exist, from one address
}


def rate(name):
    return getattr(settings, f"VOLNET_RATE_{name.upper()}", RATES[name])


@dataclass
class Verdict:
    blocked: bool
    seconds_left: int

    @property
    def minutes_left(self):
        return max(1, -(-self.seconds_left // 60))


def _usage(request, name, value, increment):
    return get_usage(
        request, group=f"volnet.{name}", key=lambda group, req: value, rate=rate(name), increment=increment
    )


def check(request, name, value=None):
    """Has `value` (default: the address) used up its allowance? Does not count."""
    usage = _usage(request, name, value or client_ip(request), increment=False)
    if usage is None:
        return Verdict(False, 0)
    limit, _period = _split_rate(rate(name))
    return Verdict(usage["count"] >= limit, max(usage["time_left"], 0))


def hit(request, name, value=None):
    """Count one attempt for `value` (default: the address)."""
    _usage(request, name, value or client_ip(request), increment=True)
