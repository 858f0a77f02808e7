"""THE one place that answers "which units may this user see or change".

Unit staff (單位管理員, 志工督導, 承辦人) manage their unit and its teams below it; authority staff manage
every unit whose competent authority they work for. Every back-office query starts from here.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from volnet.units.models import Authority, Membership, StaffRole, Unit


def _active_roles(user):
    if not getattr(user, "is_authenticated", False):
        return StaffRole.objects.none()
    return StaffRole.objects.filter(user=user, is_active=True)


def is_staff_member(user):
    return _active_roles(user).exists()


def authorities_of(user):
    """Authorities the user works for."""
    return Authority.objects.filter(staff_roles__in=_active_roles(user).filter(authority__isnull=False)).distinct()


def _with_descendants(unit_ids):
    """Unit ids plus all teams below them (the tree is shallow; walk it level by level)."""
    found = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def managed_units(user):
    """Units the user may see and change in the back office."""
    pairs = list(_active_roles(user).values_list("unit_id", "authority_id"))  # one query for both kinds
    direct = [unit_id for unit_id, _ in pairs if unit_id is not None]
    authority_ids = [authority_id for _, authority_id in pairs if authority_id is not None]
    condition = Q(id__in=_with_descendants(direct)) if direct else Q(pk__in=[])
    if authority_ids:
        condition |= Q(authority_id__in=authority_ids) | Q(sector_authority_id__in=authority_ids)
    return Unit.objects.filter(condition)


def is_unit_staff(user, unit):
    """Staff of the unit itself (or of a unit above it), never authority staff: a unit acts for itself."""
    if unit is None:
        return False
    direct = _active_roles(user).filter(unit__isnull=False).values_list("unit_id", flat=True)
    return unit.pk in _with_descendants(list(direct))


def can_manage_unit(user, unit):
    return unit is not None and managed_units(user).filter(pk=unit.pk).exists()


def require_unit(user, unit):
    if not can_manage_unit(user, unit):
        raise PermissionDenied(_("您沒有管理此單位的權限。"))
    return unit


def managed_volunteers(user, active_only=False):
    """People who are (or were) members of a unit the user manages."""
    memberships = Membership.objects.filter(unit__in=managed_units(user))
    if active_only:
        memberships = memberships.filter(status=Membership.Status.ACTIVE)
    return get_user_model().objects.filter(pk__in=memberships.values("volunteer_id"))


def can_manage_volunteer(user, volunteer, active_only=False):
    return managed_volunteers(user, active_only=active_only).filter(pk=volunteer.pk).exists()


def unit_members(user, unit, active_only=True):
    """Memberships of one unit the user manages (PermissionDenied otherwise), volunteers joined in."""
    require_unit(user, unit)
    memberships = Membership.objects.filter(unit=unit).select_related("volunteer")
    if active_only:
        memberships = memberships.filter(status=Membership.Status.ACTIVE)
    return memberships


def managed_memberships(user):
    """Every membership (active or ended) in the units the user manages."""
    return Membership.objects.filter(unit__in=managed_units(user))


def managed_records(user, model):
    """Entries of `model` (any model with a `unit` foreign key) that a unit the user manages made.

    A unit sees and corrects only its own entries, never another unit's, even for a shared volunteer.
    """
    return model.objects.filter(unit__in=managed_units(user))


def is_authority_staff(user):
    return _active_roles(user).filter(authority__isnull=False).exists()
