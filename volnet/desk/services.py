"""The authority's desk: units registered and changed in the site, and the staff roles of each unit.

An authority registers and edits the units of its area (`save_unit`), closes one or merges it into a
successor (`set_status`): a closed or merged unit keeps every record and book, readable as before. Staff
roles follow the consent rule of memberships (domain.md §9.12): a role is offered by ID number to someone
who has an account (`invite_staff`), counts for nothing until the person accepts it in 我的檔案
(`answer_invitation`), and ends with a date and a reason (`end_role`). Who may appoint whom is
`units.access.may_appoint` alone. Each action is atomic, refuses with a `DeskError` and writes an audit entry.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import masking, rocdate, twid
from volnet.mailer import outbox
from volnet.units import access
from volnet.units.models import StaffRole, Unit

# The fields of a unit an authority keeps, in the order the form shows them.
UNIT_FIELDS = ["code", "name", "parent", "category", "sector_authority", "public_body", "district", "address",
               "contact_name", "phone", "email"]


class DeskError(DomainError):
    """A refused action about a unit or a staff role (volnet.errors.DomainError)."""


def _snapshot(unit):
    # zh-only: the audit log's field names are stored data, kept in one language
    values = {}
    for name in [*UNIT_FIELDS, "status", "successor", "closed_on"]:
        value = getattr(unit, name)
        if name == "closed_on":
            value = rocdate.format(value) if value else ""
        elif name in ("category", "status"):
            value = getattr(unit, f"get_{name}_display")() if value else ""
        values[str(Unit._meta.get_field(name).verbose_name)] = "" if value is None else str(value)
    return values


def _refuse_taken_code(code, unit):
    taken = Unit.objects.filter(code=code).exclude(pk=unit.pk if unit.pk else None)
    if taken.exists():
        raise DeskError("code_taken", _("單位代碼 %(code)s 已由 %(unit)s 使用，請換一個代碼。") % {
            "code": code, "unit": taken.first().name}, field="code")


@transaction.atomic
def save_unit(*, actor, authority, unit=None, request=None, **fields):
    """Register a new unit of `authority` (unit=None) or change one. `fields`: those of UNIT_FIELDS."""
    if authority not in access.registry_authorities(actor) or (
            unit is not None and not access.registry_units(actor).filter(pk=unit.pk).exists()):
        raise DeskError("forbidden", _("您沒有登錄或修改這個單位的權限。"))
    if unit is not None:
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _snapshot(unit) if unit is not None else {}
    unit = unit or Unit(authority=authority)
    code = (fields.pop("code", "") or "").strip()
    if not code:
        raise DeskError("code_required", _("請輸入單位代碼。"), field="code")
    if not (fields.get("name") or "").strip():
        raise DeskError("name_required", _("請輸入單位名稱。"), field="name")
    parent = fields.get("parent")
    if parent is not None and (parent.pk == unit.pk or parent.authority_id != authority.pk):
        raise DeskError("bad_parent", _("上級單位須是本機關轄下的另一個單位。"), field="parent")
    _refuse_taken_code(code, unit)
    unit.code = code
    for name, value in fields.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    created = unit.pk is None
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:  # the same code registered at the same moment by someone else
        raise DeskError("code_taken", _("單位代碼 %(code)s 已有單位使用，請換一個代碼。") % {"code": code},
                        field="code") from None
    log.record("desk.unit.registered" if created else "desk.unit.updated", actor=actor, unit=unit, obj=unit,
               changes=log.diff(before, _snapshot(unit)), request=request)
    return unit


@transaction.atomic
def set_status(*, actor, unit, status, closed_on=None, successor=None, request=None):
    """Operating again, closed, or merged into a successor (an operating unit of the same authority). The
    unit's records, books and reports stay where they are, readable by the unit's staff and the authority."""
    if not access.registry_units(actor).filter(pk=unit.pk).exists():
        raise DeskError("forbidden", _("您沒有修改這個單位的權限。"))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _snapshot(unit)
    Status = Unit.Status
    if status not in Status.values:
        raise DeskError("bad_status", _("請選擇單位狀態。"), field="status")
    if status != Status.OPERATING and closed_on is None:
        raise DeskError("closed_on_required", _("請輸入結束運作日期，格式如 115/01/31。"), field="closed_on")
    if status == Status.MERGED:
        if successor is None:
            raise DeskError("successor_required", _("請選擇併入的單位。"), field="successor")
        successor = Unit.objects.select_for_update().get(pk=successor.pk)
        if successor.pk == unit.pk or successor.authority_id != unit.authority_id:
            raise DeskError("bad_successor", _("只能併入本機關轄下的另一個單位。"), field="successor")
        if successor.status != Status.OPERATING:
            raise DeskError("successor_closed", _("%(unit)s 已不再運作，不能併入；請選擇運作中的單位。") % {
                "unit": successor.label}, field="successor")
    unit.status = status
    unit.is_active = status == Status.OPERATING
    unit.successor = successor if status == Status.MERGED else None
    unit.closed_on = closed_on if status != Status.OPERATING else None
    unit.save(update_fields=["status", "is_active", "successor", "closed_on"])
    log.record(f"desk.unit.{status}", actor=actor, unit=unit, obj=unit, changes=log.diff(before, _snapshot(unit)),
               request=request)
    return unit


# --- staff roles ---------------------------------------------------------------------------------------


def _role_label(role):
    return str(StaffRole.Role(role).label)


def _require_appoint(actor, unit, role):
    if not access.may_appoint(actor, unit, role):
        raise DeskError("forbidden", _("您不能指派或解除 %(unit)s 的%(role)s。") % {
            "unit": unit.label, "role": _role_label(role)})


@transaction.atomic
def invite_staff(*, actor, unit, national_id, role, request=None):
    """Offer `role` in `unit` to the person with this ID number: a PENDING role, in force only once the
    person accepts it in 我的檔案. The person must have an account; they are told by mail when an address
    is on file."""
    if role not in access.UNIT_ROLES:
        raise DeskError("bad_role", _("請選擇角色。"), field="role")
    _require_appoint(actor, unit, role)
    try:
        number = twid.validate(national_id)
    except twid.IdNumberError as error:
        raise DeskError("bad_id", str(error), field="national_id") from None
    person = get_user_model().objects.select_for_update().filter(national_id=number).first()
    if person is None:
        raise DeskError("no_account", _("身分證號碼 %(id)s 還沒有帳號。請本人先在前台「加入會員」，"
                                        "或由運用單位為其建立志工帳號，再送出邀請。") % {"id": masking.mask_id(number)},
                        field="national_id")
    if unit.status != Unit.Status.OPERATING:
        raise DeskError("unit_closed", _("%(unit)s 已不再運作，不能指派工作人員。") % {"unit": unit.label})
    open_ = StaffRole.objects.filter(user=person, unit=unit, role=role, status__in=StaffRole.OPEN).first()
    if open_ is not None:
        raise DeskError("already", _("%(name)s 已是 %(unit)s 的%(role)s，或邀請正等待本人回覆。") % {
            "name": masking.mask_name(person.name), "unit": unit.label, "role": _role_label(role)},
            field="national_id")
    staff_role = StaffRole.objects.create(user=person, unit=unit, role=role, status=StaffRole.Status.PENDING,
                                          is_active=False, invited_by=actor, invited_at=timezone.now())
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("desk.staff.invited", actor=actor, volunteer=person, unit=unit, obj=staff_role,
               changes={"角色": ["", _role_label(role)]}, request=request)
    if person.email:
        _mail_invitation(person, staff_role, actor)
    return staff_role


def _mail_invitation(person, staff_role, actor):
    """Queued in this transaction (volnet.mailer): a refused invitation leaves no mail behind."""
    outbox.queue_mail("desk/mail/staff_invitation", to=person.email, language=settings.LANGUAGE_CODE, context={
        "user": person, "unit": staff_role.unit.label, "role": _role_label(staff_role.role), "asked_by": actor.name,
        "url": settings.SITE_URL.rstrip("/") + reverse("portal:unit_requests"),
    })


def open_invitations(person):
    """The staff roles offered to the person and not answered yet."""
    return StaffRole.objects.filter(user=person, status=StaffRole.Status.PENDING).select_related(
        "unit", "invited_by")


@transaction.atomic
def answer_invitation(*, person, role_id, accept, request=None):
    """The person accepts (the role is in force from now) or declines an offered role: their own only."""
    staff_role = StaffRole.objects.select_for_update(of=("self",)).filter(
        pk=role_id, user=person, status=StaffRole.Status.PENDING).select_related("unit").first()
    if staff_role is None:
        raise DeskError("not_found", _("找不到這個邀請，或您已經回覆過了。"))
    staff_role.status = StaffRole.Status.ACTIVE if accept else StaffRole.Status.DECLINED
    staff_role.is_active = bool(accept)
    staff_role.answered_at = timezone.now()
    staff_role.save(update_fields=["status", "is_active", "answered_at"])
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("desk.staff.accepted" if accept else "desk.staff.declined", actor=person, volunteer=person,
               unit=staff_role.unit, obj=staff_role, changes={"角色": ["", _role_label(staff_role.role)]},
               request=request)
    return staff_role


@transaction.atomic
def end_role(*, actor, role_id, ended_on, reason, request=None):
    """End a role in force, or withdraw an unanswered invitation, with a date and a reason."""
    staff_role = StaffRole.objects.select_for_update(of=("self",)).filter(
        pk=role_id, unit__isnull=False).select_related(
        "unit", "user").first()
    if staff_role is None or not access.can_manage_unit(actor, staff_role.unit):
        raise DeskError("not_found", _("找不到這個工作人員角色。"))
    _require_appoint(actor, staff_role.unit, staff_role.role)
    if staff_role.status not in StaffRole.OPEN:
        raise DeskError("already_ended", _("這個角色已經結束。"))
    if ended_on is None:
        raise DeskError("ended_on_required", _("請輸入卸任日期，格式如 115/01/31。"), field="ended_on")
    if ended_on > timezone.localdate():
        raise DeskError("ended_on_future", _("卸任日期不可晚於今天。"), field="ended_on")
    reason = (reason or "").strip()
    if not reason:
        raise DeskError("reason_required", _("請寫明卸任原因。"), field="reason")
    staff_role.status, staff_role.is_active = StaffRole.Status.ENDED, False
    staff_role.ended_on, staff_role.end_reason = ended_on, reason[:200]
    staff_role.save(update_fields=["status", "is_active", "ended_on", "end_reason"])
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("desk.staff.ended", actor=actor, volunteer=staff_role.user, unit=staff_role.unit, obj=staff_role,
               changes={"角色": [_role_label(staff_role.role), ""], "卸任日期": ["", rocdate.format(ended_on)],
                        "卸任原因": ["", staff_role.end_reason]}, request=request)
    return staff_role


def unit_staff(actor, unit):
    """Every staff role of a unit the actor manages, in force, offered or ended (PermissionDenied otherwise)."""
    access.require_unit(actor, unit)
    return StaffRole.objects.filter(unit=unit).select_related("user", "invited_by").order_by("status", "role", "pk")
