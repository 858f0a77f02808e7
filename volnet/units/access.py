"""THE one place that answers "which units may this user see or change".

Unit staff (單位管理員, 志工督導, 承辦人) manage their unit and its teams below it; authority staff manage
every unit whose competent authority they work for. Every back-office query starts from here.

People belong to themselves (domain.md §9.12): a unit sees who someone is only once they accepted it
(ACCEPTED memberships); while its request waits it sees a masked name. Whether a unit may manage a
person's sign-in (temporary password, reset link, e-mail, phone) is answered by `sign_in_refusal` alone.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from volnet.units.models import Authority, Membership, StaffRole, Unit


def _active_roles(user):
    if not getattr(user, "is_authenticated", False):
        return StaffRole.objects.none()
    return StaffRole.objects.in_force().filter(user=user)


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


def _accepted(memberships, active_only):
    return memberships.active() if active_only else memberships.accepted()


def managed_volunteers(user, active_only=False):
    """People who are (or were) members of a unit the user manages. Never someone who has not accepted."""
    memberships = _accepted(Membership.objects.filter(unit__in=managed_units(user)), active_only)
    return get_user_model().objects.filter(pk__in=memberships.values("volunteer_id"))


def asked_volunteers(user):
    """Everyone a unit the user manages has a membership with, requests included: only to find the person
    a refusal is about. What the unit may see or do is decided by the functions around this one."""
    memberships = Membership.objects.filter(unit__in=managed_units(user))
    return get_user_model().objects.filter(pk__in=memberships.values("volunteer_id"))


def can_manage_volunteer(user, volunteer, active_only=False):
    return managed_volunteers(user, active_only=active_only).filter(pk=volunteer.pk).exists()


def unit_members(user, unit, active_only=True):
    """Memberships of one unit the user manages (PermissionDenied otherwise), volunteers joined in:
    serving now, or also those who left (active_only=False); never an unanswered or declined request."""
    require_unit(user, unit)
    return _accepted(Membership.objects.filter(unit=unit), active_only).select_related("volunteer")


def unit_requests(user, unit):
    """The unit's join requests still waiting for the person's answer, and those the person declined."""
    require_unit(user, unit)
    return Membership.objects.requests().filter(unit=unit).select_related("volunteer")


def managed_memberships(user):
    """Every accepted membership (active or ended) in the units the user manages."""
    return _accepted(Membership.objects.filter(unit__in=managed_units(user)), active_only=False)


def holds_authority(person):
    """Staff of a unit or an authority, or an administrator: accounts no unit ever manages."""
    return bool(person.is_staff or person.is_superuser or _active_roles(person).exists())


def sign_in_refusal(actor, person):
    """None when a unit the actor manages may manage the person's sign-in (temporary password, reset link,
    e-mail, phone, and the rest of the account data); otherwise why not, as a code:

    - "staff_account": the person holds a staff or authority role, or is an administrator;
    - "signed_in": the unit created the account, the person has signed in since and not confirmed the unit;
    - "not_accepted": the unit's request is unanswered or was declined;
    - "not_member": the person does not serve in any unit the actor manages.

    Allowed: the person serves (ACTIVE) in a unit the actor manages and accepted it (every membership that
    was not created with the account is an accepted one), or that unit created the account and nobody has
    signed in to it yet (`last_login` is empty until the first sign-in)."""
    if holds_authority(person):
        return "staff_account"
    memberships = Membership.objects.filter(volunteer=person, unit__in=managed_units(actor))
    serving = memberships.active()
    if serving.exclude(Membership.UNCONFIRMED).exists():
        return None
    if serving.exists():
        return None if person.last_login is None else "signed_in"
    if memberships.requests().exists():
        return "not_accepted"
    return "not_member"


def can_manage_sign_in(actor, person):
    return sign_in_refusal(actor, person) is None


def managed_records(user, model):
    """Entries of `model` (any model with a `unit` foreign key) that a unit the user manages made.

    A unit sees and corrects only its own entries, never another unit's, even for a shared volunteer.
    """
    return model.objects.filter(unit__in=managed_units(user))


def is_authority_staff(user):
    return _active_roles(user).filter(authority__isnull=False).exists()


# --- the authority's desk: the units it registers, the units it oversees, who appoints which staff -------

# Unit roles a unit's own leaders hold; a leader of a unit appoints its 承辦人 (issue 13).
UNIT_LEADERS = (StaffRole.Role.HEAD, StaffRole.Role.UNIT_ADMIN, StaffRole.Role.SUPERVISOR)
UNIT_ROLES = (*UNIT_LEADERS, StaffRole.Role.CLERK)


def _authority_ids(user, **filters):
    return list(_active_roles(user).filter(authority__isnull=False, **filters).values_list("authority_id", flat=True))


def _with_child_authorities(authority_ids):
    found, frontier = set(authority_ids), set(authority_ids)
    while frontier:
        frontier = set(Authority.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def registry_authorities(user):
    """The local competent authorities the user works for: the ones that register and edit units."""
    return Authority.objects.filter(
        pk__in=_authority_ids(user), kind=Authority.Kind.COMPETENT,
    ).exclude(level=Authority.Level.CENTRAL)


def venue_authorities(user):
    """The authorities whose 榮譽卡優惠場所 the user keeps: the local competent authorities the user works for,
    the ones that issue honor cards (志願服務法 §20). Unit staff and the central authority keep none."""
    return registry_authorities(user)


def registry_units(user):
    """Units the user may register, edit, close or merge, and whose 負責人 and 督導 the user appoints: every
    unit whose competent authority the user works for (a local one; the central authority registers none)."""
    return Unit.objects.filter(authority__in=registry_authorities(user))


def sees_every_unit(user):
    """Staff of a central competent authority (衛福部) oversee every unit in the country."""
    return Authority.objects.filter(
        pk__in=_authority_ids(user), kind=Authority.Kind.COMPETENT, level=Authority.Level.CENTRAL,
    ).exists()


def overseen_authorities(user):
    """The authorities whose units (as competent or as sector authority) the user oversees: those the user
    works for and those below them; None for a central competent authority (every unit); empty for unit staff.
    `overseen_units` is these authorities' units; the statistics cut their area summaries by the same ids."""
    if sees_every_unit(user):
        return None
    return _with_child_authorities(_authority_ids(user))


def overseen_units(user):
    """Units an authority's staff oversee (plans and reports, the statistics): those of the
    authorities the user works for and of the authorities below them, as competent or as sector authority;
    for a central competent authority, every unit. Unit staff oversee none."""
    ids = overseen_authorities(user)
    if ids is None:
        return Unit.objects.all()
    if not ids:
        return Unit.objects.none()
    return Unit.objects.filter(Q(authority_id__in=ids) | Q(sector_authority_id__in=ids))


def may_appoint(user, unit, role):
    """Whether the user may invite someone to (or end someone's) `role` in `unit`: the unit's competent
    authority appoints every unit role; a unit's own leader (負責人, 單位管理員, 志工督導, of it or of a unit
    above it) appoints its 承辦人 only."""
    if unit is None or role not in UNIT_ROLES:
        return False
    if registry_units(user).filter(pk=unit.pk).exists():
        return True
    if role != StaffRole.Role.CLERK:
        return False
    leading = _active_roles(user).filter(unit__isnull=False, role__in=UNIT_LEADERS).values_list("unit_id", flat=True)
    return unit.pk in _with_descendants(list(leading))


def appointable_roles(user, unit):
    return [role for role in UNIT_ROLES if may_appoint(user, unit, role)]


def _with_ancestors(unit):
    """The unit's id and the ids of the units above it."""
    ids, parent_id = [unit.pk], unit.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = Unit.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


def unit_roles(user, unit):
    """The unit roles (StaffRole.Role) the user holds in force in `unit` itself or in a unit above it; authority
    roles never count. A review step of the unit (the 績效證明書's 承辦人 → 督導 → 負責人) asks this."""
    if unit is None:
        return set()
    return set(_active_roles(user).filter(unit_id__in=_with_ancestors(unit)).values_list("role", flat=True))


def unit_staff_with_role(unit, role):
    """People holding `role` in force in `unit` or a unit above it (whom a step of the unit's reviews waits on)."""
    return get_user_model().objects.filter(
        staff_roles__in=StaffRole.objects.in_force().filter(role=role, unit_id__in=_with_ancestors(unit))
    ).distinct()


def unit_staff_in_force(unit_ids):
    """{unit id: [(user id, name, e-mail)]}: who manages each unit, for a scheduled job that tells them
    something about it. The staff in force (an ACTIVE role) of the unit itself or of a unit above it, as
    `managed_units` grants; never authority staff. A few queries for any number of units (pass them in
    batches: the ids go into IN lists)."""
    unit_ids = set(unit_ids)
    parent, seen, frontier = {}, set(unit_ids), set(unit_ids)
    while frontier:  # the tree is shallow: one query per level
        pairs = dict(Unit.objects.filter(pk__in=frontier, parent__isnull=False).values_list("pk", "parent_id"))
        parent.update(pairs)
        frontier = set(pairs.values()) - seen
        seen |= frontier
    roles = {}
    in_force = StaffRole.objects.in_force().filter(unit_id__in=seen)
    for user_id, name, email, unit_id in in_force.values_list("user_id", "user__name", "user__email", "unit_id"):
        roles.setdefault(unit_id, []).append((user_id, name, email))
    staff = {}
    for unit_id in unit_ids:
        people, node, walked = {}, unit_id, set()
        while node is not None and node not in walked:
            walked.add(node)
            for person in roles.get(node, ()):
                people.setdefault(person[0], person)
            node = parent.get(node)
        staff[unit_id] = list(people.values())
    return staff


def authority_staff_in_force(authority_ids):
    """{authority id: [(user id, name, e-mail)]}: the staff in force of each authority (an ACTIVE role there),
    for a scheduled job that tells them of the work waiting for their authority."""
    staff = {authority_id: [] for authority_id in authority_ids}
    in_force = StaffRole.objects.in_force().filter(authority_id__in=list(staff))
    for user_id, name, email, authority_id in in_force.values_list("user_id", "user__name", "user__email",
                                                                     "authority_id").distinct():
        staff[authority_id].append((user_id, name, email))
    return staff


# --- training courses: who publishes and runs them (issue 15) ----------------------------------------------


def staffed_units(user):
    """Operating units whose own staff the user is (the units above included, as `is_unit_staff` says): the
    units the user publishes training courses for and takes their attendance. Authority staff publish for
    their authority instead (`authorities_of`), never for a unit of their area."""
    direct = list(_active_roles(user).filter(unit__isnull=False).values_list("unit_id", flat=True))
    return Unit.objects.filter(pk__in=_with_descendants(direct), is_active=True) if direct else Unit.objects.none()


def may_run_course(user, unit=None, authority=None):
    """Whether the user publishes, changes and runs a course organised by `unit` or by `authority`."""
    if unit is not None:
        return is_unit_staff(user, unit) and unit.is_active
    return authority is not None and authorities_of(user).filter(pk=authority.pk).exists()


def serves_under(person, unit=None, authority=None):
    """Whether the person serves now (an ACTIVE membership) in `unit` or a team below it, or in a unit of
    `authority`'s area (as competent or sector authority): the audience of a course for one's own volunteers."""
    serving = Membership.objects.active().filter(volunteer=person)
    if unit is not None:
        return serving.filter(unit_id__in=_with_descendants([unit.pk])).exists()
    if authority is None:
        return False
    ids = _with_child_authorities([authority.pk])
    return serving.filter(Q(unit__authority_id__in=ids) | Q(unit__sector_authority_id__in=ids)).exists()
