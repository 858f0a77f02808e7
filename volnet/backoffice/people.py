"""What a unit does to the people it manages: add by ID number, edit contact data, reset a password,
end a membership. Each action is one function: atomic, locks what it changes, refuses with a
`PeopleError` (code + Chinese message) and writes an audit entry carrying the unit.

Passwords themselves belong to `accounts.services` (policy, history, reset links); these functions call
it and add the unit's side of the story to the audit log.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from volnet.accounts import services as account_services
from volnet.audit import log
from volnet.lib import masking, rocdate, twid
from volnet.lib.words import join_list
from volnet.units import access
from volnet.units.models import Membership

# The fields staff may correct, in the order the form shows them.
CONTACT_FIELDS = [
    "name", "birth_date", "sex", "email", "phone", "address", "emergency_contact", "emergency_phone",
]


class PeopleError(Exception):
    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self):
        return self.message


def _require_unit(actor, unit):
    if not access.can_manage_unit(actor, unit):
        raise PeopleError("forbidden", _("您沒有管理此單位的權限。"))


def _require_person(actor, person):
    # Only a unit the person serves in now (or the authority above it) may change their account.
    if not access.can_manage_volunteer(actor, person, active_only=True):
        raise PeopleError("forbidden", _("只有志工目前服務的單位可以修改這位志工的帳號資料。"))


def _shown(person, name):
    value = getattr(person, name)
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return rocdate.format(value)
    if name == "sex":
        return person.get_sex_display()
    return str(value)


def contact_snapshot(person):
    """The contact fields as the audit log keeps them: named and shown in the site's own language
    (Chinese), whatever language the staff member reads, so before and after always compare."""
    User = get_user_model()
    with translation.override(settings.LANGUAGE_CODE):
        return {str(User._meta.get_field(name).verbose_name): _shown(person, name) for name in CONTACT_FIELDS}


def changed_field_names(changes):
    """The fields an update changed (keys of the audit diff), named in the reader's language and joined
    as a list, e.g. 姓名、電話."""
    User = get_user_model()
    with translation.override(settings.LANGUAGE_CODE):
        logged = {str(User._meta.get_field(name).verbose_name): name for name in CONTACT_FIELDS}
    names = [str(User._meta.get_field(logged[key]).verbose_name) if key in logged else key for key in changes]
    return join_list(names)


def find_person(national_id):
    """The account with this ID number (validated and normalised), or None. Raises PeopleError on a
    number that cannot exist."""
    try:
        number = twid.validate(national_id)
    except twid.IdNumberError as error:
        raise PeopleError("bad_id", str(error), field="national_id") from None
    return get_user_model().objects.filter(national_id=number).first()


def _enrol(actor, unit, person, joined_on, volunteer_number, request):
    if Membership.objects.filter(volunteer=person, unit=unit, status=Membership.Status.ACTIVE).exists():
        raise PeopleError(
            "already_member", _("%(name)s 已經是 %(unit)s 的志工。") % {"name": person.name, "unit": unit.label}
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                volunteer=person, unit=unit, joined_on=joined_on or timezone.localdate(),
                volunteer_number=(volunteer_number or "").strip(),
            )
    except IntegrityError:
        raise PeopleError(
            "already_member", _("%(name)s 已經是 %(unit)s 的志工。") % {"name": person.name, "unit": unit.label}
        ) from None
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record(
        "backoffice.membership.created", actor=actor, volunteer=person, unit=unit, obj=membership,
        changes={"加入日期": ["", rocdate.format(membership.joined_on)],
                 "志工編號": ["", membership.volunteer_number]},
        request=request,
    )
    return membership


@transaction.atomic
def enrol_existing(*, actor, unit, person, joined_on=None, volunteer_number="", request=None):
    """A person who already has an account joins the unit: a membership, never a second account."""
    _require_unit(actor, unit)
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    return _enrol(actor, unit, person, joined_on, volunteer_number, request)


@transaction.atomic
def create_volunteer(*, actor, unit, national_id, name, birth_date, sex="", email="", phone="", joined_on=None,
                     volunteer_number="", request=None):
    """A new person: an account with a temporary password that must be changed at the first sign-in,
    and a membership. Returns (person, membership, temporary password)."""
    _require_unit(actor, unit)
    if find_person(national_id) is not None:
        raise PeopleError("exists", _("這個身分證號碼已有帳號，請改用「加入本單位」。"), field="national_id")
    if not (name or "").strip():
        raise PeopleError("name_required", _("請輸入姓名。"), field="name")
    if birth_date is None:
        raise PeopleError("birth_date_required", _("請輸入出生年月日，格式如 070/05/20。"), field="birth_date")
    if birth_date > timezone.localdate():
        raise PeopleError("birth_date_future", _("出生年月日不可晚於今天。"), field="birth_date")
    User = get_user_model()
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                national_id, None, name=name.strip(), birth_date=birth_date, sex=sex or "",
                email=(email or "").strip(), phone=(phone or "").strip(),
            )
    except IntegrityError:
        raise PeopleError("exists", _("這個身分證號碼已有帳號，請改用「加入本單位」。"), field="national_id") from None
    password = account_services.set_temporary_password(person, actor)
    person.refresh_from_db()
    after = contact_snapshot(person)
    after["身分證號碼"] = masking.mask_id(person.national_id)  # zh-only: an audit field name, stored data
    log.record("backoffice.volunteer.created", actor=actor, volunteer=person, unit=unit, obj=person,
               changes=log.diff({}, after), request=request)
    membership = _enrol(actor, unit, person, joined_on, volunteer_number, request)
    return person, membership, password


@transaction.atomic
def update_contact(*, actor, unit, person, request=None, **fields):
    """Correct a volunteer's name, birth date, contact data or email; the audit keeps before and after.

    A changed email is no longer verified: the forgotten-password mail goes there from now on."""
    _require_unit(actor, unit)
    _require_person(actor, person)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    if "name" in fields and not (fields["name"] or "").strip():
        raise PeopleError("name_required", _("請輸入姓名。"), field="name")
    birth = fields.get("birth_date")
    if birth is not None and birth > timezone.localdate():
        raise PeopleError("birth_date_future", _("出生年月日不可晚於今天。"), field="birth_date")
    before = contact_snapshot(person)
    old_email = person.email
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if person.email != old_email:
        person.email_verified_at = None
    person.save()
    changes = log.diff(before, contact_snapshot(person))
    if changes:
        log.record("backoffice.volunteer.updated", actor=actor, volunteer=person, unit=unit, obj=person,
                   changes=changes, request=request)
    return person, changes


@transaction.atomic
def end_membership(*, actor, membership, left_on=None, request=None):
    """The volunteer leaves the unit. Every record the unit entered stays."""
    membership = Membership.objects.select_for_update().select_related("unit", "volunteer").get(pk=membership.pk)
    _require_unit(actor, membership.unit)
    if membership.status == Membership.Status.ENDED:
        raise PeopleError("already_ended", _("這位志工已經離隊了。"))
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise PeopleError("before_joined", _("離隊日期不可早於加入日期 %(date)s。") % {
            "date": rocdate.format(membership.joined_on)}, field="left_on")
    if left_on > timezone.localdate():
        raise PeopleError("future", _("離隊日期不可晚於今天。"), field="left_on")
    membership.status = Membership.Status.ENDED
    membership.left_on = left_on
    membership.save(update_fields=["status", "left_on"])
    # zh-only: the audit log's field names and values are stored data, kept in one language
    log.record(
        "backoffice.membership.ended", actor=actor, volunteer=membership.volunteer, unit=membership.unit,
        obj=membership, changes={"狀態": ["服務中", "已離隊"], "離隊日期": ["", rocdate.format(left_on)]},
        request=request,
    )
    return membership


def set_temporary_password(*, actor, unit, person, request=None):
    """A new password the staff member reads to the volunteer once; it must be changed at sign-in."""
    _require_unit(actor, unit)
    _require_person(actor, person)
    try:
        password = account_services.set_temporary_password(person, actor, request=request)
    except account_services.AccountError as error:
        raise PeopleError(error.code, error.message) from None
    log.record("backoffice.password.temporary_set", actor=actor, volunteer=person, unit=unit, obj=person,
               request=request)
    return password


def send_reset_link(*, actor, unit, person, request=None):
    """Mail the volunteer a link to choose a password (valid 30 minutes). Returns the masked address."""
    _require_unit(actor, unit)
    _require_person(actor, person)
    try:
        masked = account_services.send_reset_link(person, request=request, actor=actor)
    except account_services.AccountError as error:
        raise PeopleError(error.code, error.message) from None
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("backoffice.password.reset_link_sent", actor=actor, volunteer=person, unit=unit, obj=person,
               changes={"寄送至": ["", masked]}, request=request)
    return masked
