from django import template

from volnet.staffweb import unit_choices
from volnet.units import access

register = template.Library()


@register.inclusion_tag("backoffice/_unit_switcher.html", takes_context=True)
def unit_switcher(context):
    """The unit the page works on, and a switcher when the user manages more than one."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"units": [], "current": None}
    units, current = unit_choices(request)
    shown = context.get("unit")
    if shown is not None and hasattr(shown, "label"):
        current = shown
    return {"units": units, "current": current, "request": request, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def is_authority_staff(context):
    """Whether the menu offers the authority's desks (單位管理, later 統計)."""
    request = context.get("request")
    return request is not None and access.is_authority_staff(request.user)


@register.simple_tag
def query_with(request, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
