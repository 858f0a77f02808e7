"""What every staff page needs, whichever app holds it: the gate and the unit the page works on.

The back office and the feature apps with staff pages of their own (honor-card applications, 資格查詢,
recruitment, albums) import these from here, never from `backoffice`: a feature never imports a face
(docs/architecture.md). Tenancy itself is `units.access`; this module only reads the request.

- `staff_required` / `authority_required`: signed in, with a staff (or authority) role, and, for staff who
  turned on two-factor sign-in, with the second factor checked in this session. The last condition closes
  a side door: a staff member with TOTP who signs in on the volunteers' login (password only) must not
  reach the back office without the code.
- `current_unit`: a staff member may manage several units (a unit and its teams, or every unit of an
  authority). The chosen one is kept in the session; `?unit=<id>` (or a posted `unit`) switches it.
  Asking for a unit the user does not manage is a 404, never a silent fallback: a link from another unit
  must not show one's own.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volnet.accounts import twofactor
from volnet.http import int_or_none
from volnet.units import access

SESSION_KEY = "backoffice_unit"

# --- the gate ------------------------------------------------------------------------------------------


def _to_staff_login(request):
    return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))


def _gate(check, refusal):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_staff_login(request)
            if not check(request.user):
                raise PermissionDenied(refusal)
            if twofactor.needs_verification(request.user):
                return _to_staff_login(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = _gate(access.is_staff_member, gettext_lazy("此頁面僅限運用單位或主管機關工作人員使用。"))
authority_required = _gate(access.is_authority_staff, gettext_lazy("此頁面僅限主管機關工作人員使用。"))

# --- the unit the page works on ------------------------------------------------------------------------


def posted_unit(request):
    """The unit a form posted (`unit`), which must be one the user manages: else a 404."""
    unit = access.managed_units(request.user).filter(pk=int_or_none(request.POST.get("unit"))).first()
    if unit is None:
        raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
    return unit


def remember_unit(request, unit):
    """Make `unit` the one the next staff page works on (the switcher's choice)."""
    request.session[SESSION_KEY] = unit.pk


def current_unit(request):
    """The unit this request works on; remembers an explicit choice in the session."""
    units = access.managed_units(request.user).order_by("code", "name")
    asked = request.POST.get("unit") if request.method == "POST" else None
    asked = asked or request.GET.get("unit")
    if asked:
        unit = units.filter(pk=int_or_none(asked)).first()
        if unit is None:
            raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
        remember_unit(request, unit)
        return unit
    unit = remembered_unit(request, units)
    if unit is None:
        raise PermissionDenied(_("您目前沒有可管理的單位。"))
    remember_unit(request, unit)
    return unit


def remembered_unit(request, units):
    """The switcher's current unit if it is among `units`, else the first of them (None if empty). Never
    switches: a form offers it as its first choice."""
    remembered = int_or_none(request.session.get(SESSION_KEY))
    return (units.filter(pk=remembered).first() if remembered else None) or units.first()


def unit_choices(request):
    """Managed units for the switcher, and the current one (None if the user manages none)."""
    units = list(access.managed_units(request.user).order_by("code", "name"))
    remembered = int_or_none(request.session.get(SESSION_KEY))
    current = next((u for u in units if u.pk == remembered), units[0] if units else None)
    return units, current
