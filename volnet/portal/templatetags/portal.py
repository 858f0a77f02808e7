import functools

from django import template
from django.urls import get_script_prefix, reverse

from volnet.portal.chart import plural_count

register = template.Library()


@register.filter
def thousands(value):
    """1000000 → `1,000,000` (the zh-Hant locale defines no grouping, so humanize's intcomma does not)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@functools.cache
def _reverse(prefix, name):
    return reverse(name)


@register.simple_tag
def link(name):
    """`{% link 'portal:services' %}`: {% url %} for routes without arguments, resolved once per process.

    The portal frame links to a dozen routes on every page; reversing each on every request was a
    seventh of the 服務時數 tab's time (bench_portal)."""
    return _reverse(get_script_prefix(), name)


@register.filter
def hours_plural(value):
    """The count `{% blocktranslate count %}` needs for a number of hours: 1 → "1 hour", else "hours"."""
    return plural_count(value)
