"""Counters of failed or costly attempts per address and per ID number, kept in the cache by
django-ratelimit (Redis when REDIS_URL is set, so every process shares them)."""

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import _split_rate, get_usage

from volnet.http import client_ip


def rate(name):
    """The limit of counter `name`: the setting VOLNET_RATE_<NAME> (volnet/settings.py), "count/period"."""
    return getattr(settings, f"VOLNET_RATE_{name.upper()}")


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
