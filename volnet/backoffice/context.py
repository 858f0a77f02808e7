"""Which unit a back-office page works on.

A staff member may manage several units (a unit and its teams, or every unit of an authority). The
chosen one is kept in the session; `?unit=<id>` (or a posted `unit`) switches it. Asking for a unit the
user does not manage is a 404, never a silent fallback: a link from another unit must not show one's own.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from volnet.http import int_or_none
from volnet.units import access

SESSION_KEY = "backoffice_unit"


def posted_unit(request):
    """The unit a form posted (`unit`), which must be one the user manages: else a 404."""
    unit = access.managed_units(request.user).filter(pk=int_or_none(request.POST.get("unit"))).first()
    if unit is None:
        raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
    return unit


def current_unit(request):
    """The unit this request works on; remembers an explicit choice in the session."""
    units = access.managed_units(request.user).order_by("code", "name")
    asked = request.POST.get("unit") if request.method == "POST" else None
    asked = asked or request.GET.get("unit")
    if asked:
        unit = units.filter(pk=int_or_none(asked)).first()
        if unit is None:
            raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
        request.session[SESSION_KEY] = unit.pk
        return unit
    remembered = int_or_none(request.session.get(SESSION_KEY))
    unit = units.filter(pk=remembered).first() if remembered else None
    unit = unit or units.first()
    if unit is None:
        raise PermissionDenied(_("您目前沒有可管理的單位。"))
    request.session[SESSION_KEY] = unit.pk
    return unit


def unit_choices(request):
    """Managed units for the switcher, and the current one (None if the user manages none)."""
    units = list(access.managed_units(request.user).order_by("code", "name"))
    remembered = int_or_none(request.session.get(SESSION_KEY))
    current = next((u for u in units if u.pk == remembered), units[0] if units else None)
    return units, current
