from django import template

register = template.Library()


@register.filter
def thousands(value):
    """1000000 → `1,000,000` (the zh-Hant locale defines no grouping, so humanize's intcomma does not)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
