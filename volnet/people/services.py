"""What a unit does about people, and what a person answers a unit (domain.md §9.12).

A unit asks an existing account to join (`request_membership`), creates an account for someone who has
none (`create_volunteer`), corrects account data, resets a password, ends a membership. The person
accepts or declines a request in 我的檔案 (`answer_request`). Each action is one function: atomic, locks
what it changes, refuses with a `PeopleError` (code + message in the reader's language) and writes an audit
entry carrying the unit.

Whether a unit may manage someone's sign-in is `units.access.sign_in_refusal`'s answer alone; every action
here that changes another person's account asks it first. Each such action is shown to the person in 登入訊息
and mailed to them where an address is on file (a changed e-mail: to the old address).

Passwords themselves belong to `accounts.services` (policy, history, reset links); these functions call
it and add the unit's side of the story to the audit log.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from volnet.accounts import profile as account_profile
from volnet.accounts import services as account_services
from volnet.accounts.models import SignInEvent
from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import masking, rocdate, twid
from volnet.lib.words import join_list
from volnet.notifications.services import Kind, notify
from volnet.records.models import Consent, ServiceRecord, TrainingRecord
from volnet.records.signals import changed
from volnet.units import access, operating
from volnet.units.models import Membership

# The fields staff may correct, in the order the form shows them.
CONTACT_FIELDS = [
    "name", "birth_date", "sex", "email", "phone", "address", "emergency_contact", "emergency_phone",
]
# A unit that declined may be asked again after this many days, not before (no mail every day).
ASK_AGAIN_AFTER_DAYS = 30
Result = SignInEvent.Result


class PeopleError(DomainError):
    """A refused action about a person or a membership (volnet.errors.DomainError)."""


def _require_unit(actor, unit):
    if not access.can_manage_unit(actor, unit):
        raise PeopleError("forbidden", _("您沒有管理此單位的權限。"))


def refusal_message(code):
    """Why a unit may not manage this person's sign-in (a code of access.sign_in_refusal), in words."""
    messages = {
        "staff_account": _("這個帳號屬於運用單位或主管機關的工作人員（或系統管理員），"
                           "單位不能重設其密碼或修改其信箱、電話；請本人使用「忘記密碼」，或由所屬機關協助。"),
        "signed_in": _("這位志工已自行登入過；須先在「我的檔案」確認本單位，本單位才能協助重設密碼或修改帳號資料。"),
        "not_accepted": _("這位志工尚未同意加入本單位，本單位不能查看其聯絡資料，也不能管理其帳號。"),
    }
    return messages.get(code, _("只有志工目前服務的單位可以修改這位志工的帳號資料。"))


def require_sign_in_manager(actor, person):
    """PeopleError unless a unit the actor manages may manage the person's sign-in (units.access)."""
    code = access.sign_in_refusal(actor, person)
    if code is not None:
        raise PeopleError("forbidden" if code == "not_member" else code, refusal_message(code))


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


# --- joining -------------------------------------------------------------------------------------------


def _already_member(person, unit):
    return PeopleError("already_member", _("%(name)s 已經是 %(unit)s 的志工。") % {
        "name": person.name, "unit": unit.label})


def _create_membership(action, *, actor, unit, person, joined_on, volunteer_number, request, **fields):
    """The membership (asked for by `actor`, now) and its audit entry."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                volunteer=person, unit=unit, joined_on=joined_on or timezone.localdate(),
                volunteer_number=(volunteer_number or "").strip(), requested_by=actor, requested_at=timezone.now(),
                **fields,
            )
    except IntegrityError:
        raise _already_member(person, unit) from None
    # zh-only: the audit log's field names are stored data, kept in one language
    changes = {"加入日期": ["", rocdate.format(membership.joined_on)], "志工編號": ["", membership.volunteer_number]}
    if membership.trial_until:
        changes["見習期至"] = ["", rocdate.format(membership.trial_until)]  # zh-only: as above
    log.record(action, actor=actor, volunteer=person, unit=unit, obj=membership, changes=changes, request=request)
    return membership


@transaction.atomic
def request_membership(*, actor, unit, person, joined_on=None, volunteer_number="", request=None):
    """A person who already has an account is asked to join the unit: a PENDING membership, never a
    second account. Until they accept, the unit sees their masked name only and may record what it
    witnessed (service hours, training), which waits for their answer. They are told by mail."""
    _require_unit(actor, unit)
    operating.require_operating(unit, PeopleError)
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    open_ = Membership.objects.open().filter(volunteer=person, unit=unit).first()
    if open_ is not None and open_.is_active:
        raise _already_member(person, unit)
    if open_ is not None:
        raise PeopleError("already_asked", _("已向 %(name)s 送出加入 %(unit)s 的邀請（%(day)s），正等待志工回覆。") % {
            "name": masking.mask_name(person.name), "unit": unit.label, "day": rocdate.format(
                timezone.localdate(open_.requested_at) if open_.requested_at else open_.joined_on)})
    since = timezone.now() - dt.timedelta(days=ASK_AGAIN_AFTER_DAYS)
    if Membership.objects.filter(volunteer=person, unit=unit, status=Membership.Status.DECLINED,
                                 answered_at__gt=since).exists():
        raise PeopleError("declined_recently", _("這位志工最近婉拒了加入 %(unit)s 的邀請；%(days)s 天內不再寄送邀請。"
                                                 "如有誤會，請志工直接與單位聯繫。") % {
            "unit": unit.label, "days": ASK_AGAIN_AFTER_DAYS})
    membership = _create_membership("backoffice.membership.requested", actor=actor, unit=unit, person=person,
                                    joined_on=joined_on, volunteer_number=volunteer_number, request=request,
                                    status=Membership.Status.PENDING)
    notify(person, Kind.JOIN_REQUEST, key=f"join-request:{membership.pk}", params={"unit": unit.label},
           link=reverse("portal:unit_requests"), mail=not person.signup_pending, template="people/mail/join_request",
           context={"unit": unit.label, "asked_by": actor.name,
                    "url": settings.SITE_URL.rstrip("/") + reverse("portal:unit_requests")})
    return membership


@transaction.atomic
def create_volunteer(*, actor, unit, national_id, name, birth_date, sex="", email="", phone="", joined_on=None,
                     volunteer_number="", request=None):
    """A new person: an account with a temporary password that must be changed at the first sign-in,
    and a membership the unit may manage the sign-in of until the person first signs in. Returns
    (person, membership, temporary password)."""
    person, membership = create_account(actor=actor, unit=unit, national_id=national_id, name=name,
                                        birth_date=birth_date, sex=sex, email=email, phone=phone, joined_on=joined_on,
                                        volunteer_number=volunteer_number, request=request)
    password = account_services.set_temporary_password(person, actor)
    person.refresh_from_db()
    return person, membership, password


@transaction.atomic
def create_account(*, actor, unit, national_id, name, birth_date, sex="", email="", phone="", address="",
                   joined_on=None, volunteer_number="", trial_until=None, request=None):
    """What 新增志工 does for a person without an account, without a password yet (the spreadsheet import:
    the unit then sets a temporary one or mails a link from the volunteer's page): the account and its
    membership, made by the unit, with their audit entries. Returns (person, membership)."""
    _require_unit(actor, unit)
    operating.require_operating(unit, PeopleError)
    if find_person(national_id) is not None:
        raise PeopleError("exists", _("這個身分證號碼已有帳號，請改為送出加入邀請。"), field="national_id")
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
                email=(email or "").strip(), phone=(phone or "").strip(), address=(address or "").strip(),
            )
    except IntegrityError:
        raise PeopleError("exists", _("這個身分證號碼已有帳號，請改為送出加入邀請。"), field="national_id") from None
    after = contact_snapshot(person)
    after["身分證號碼"] = masking.mask_id(person.national_id)  # zh-only: an audit field name, stored data
    log.record("backoffice.volunteer.created", actor=actor, volunteer=person, unit=unit, obj=person,
               changes=log.diff({}, after), request=request)
    membership = _create_membership("backoffice.membership.created", actor=actor, unit=unit, person=person,
                                    joined_on=joined_on, volunteer_number=volunteer_number, request=request,
                                    created_account=True, trial_until=trial_until)
    return person, membership


def open_requests(person):
    """The questions units put to the person, oldest first: join requests, and a unit that created the
    account asking to be confirmed (Membership.awaits_answer)."""
    return (
        Membership.objects.awaiting_answer().filter(volunteer=person)
        .select_related("unit", "requested_by")
        .order_by("requested_at", "pk")
    )


@transaction.atomic
def answer_request(*, person, membership_id, accept, request=None):
    """The person accepts or declines a unit (their own requests only: anyone else's is "not_found").

    Accepted: an ordinary membership; what the unit entered meanwhile counts from now on. Declined: the
    membership ends and the unit's entries stay, marked declined, for the unit to correct or delete."""
    membership = (
        Membership.objects.select_for_update().select_related("unit")
        .filter(pk=membership_id, volunteer=person).first()
    )
    if membership is None or not membership.awaits_answer:
        raise PeopleError("not_found", _("找不到這個邀請，或您已經回覆過了。"))
    before = Membership.Status.ACTIVE if membership.created_account else Membership.Status.PENDING
    settle(membership, accept=accept)
    with translation.override(settings.LANGUAGE_CODE):
        # zh-only: the audit log's field names and values are stored data, kept in one language
        changes = {"狀態": [str(before.label), str(Membership.Status(membership.status).label)]}
    log.record("portal.membership.accepted" if accept else "portal.membership.declined", actor=person,
               volunteer=person, unit=membership.unit, obj=membership, changes=changes, request=request)
    return membership


def settle(membership, *, accept):
    """The person's answer applied to a locked membership that awaits it, and to what the unit entered
    meanwhile: accepted, the entries count; declined, they stay marked so (with everything a unit that
    created the account entered). Callers write the audit entry."""
    now = timezone.now()
    if accept:
        membership.status = Membership.Status.ACTIVE
        waiting, consent = [Consent.AWAITING], Consent.GIVEN
    else:
        membership.status = Membership.Status.DECLINED
        waiting = [Consent.AWAITING, Consent.GIVEN] if membership.created_account else [Consent.AWAITING]
        consent = Consent.DECLINED
    membership.answered_at = now
    membership.save(update_fields=["status", "answered_at"])
    for model in (ServiceRecord, TrainingRecord):
        model.objects.filter(volunteer_id=membership.volunteer_id, unit_id=membership.unit_id,
                             consent__in=waiting).update(consent=consent, updated_at=now)
        changed.send(sender=model, unit_ids=[membership.unit_id], volunteer_ids=[membership.volunteer_id])
    return membership


@transaction.atomic
def end_membership(*, actor, membership, left_on=None, request=None):
    """The volunteer leaves the unit. Every record the unit entered stays."""
    membership = Membership.objects.select_for_update().select_related("unit", "volunteer").get(pk=membership.pk)
    _require_unit(actor, membership.unit)
    if membership.status == Membership.Status.ENDED:
        raise PeopleError("already_ended", _("這位志工已經離隊了。"))
    if not membership.is_active:
        raise PeopleError("not_accepted", refusal_message("not_accepted"))
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


# --- the person's account: only where units.access allows, always told to the person --------------------


def _tell(person, results, *, actor, unit, address):
    """Each result a line of the person's 登入訊息, and one mail listing them to `address` (if any)."""
    events = [account_services.record_unit_action(person, result, by_name=actor.name, by_unit=unit.label)
              for result in results]
    notify(person, Kind.ACCOUNT_CHANGED, key=f"account-changed:{events[0].pk}", mail=bool(address), address=address,
           params={"unit": unit.label, "by": actor.name,
                   "what": "、".join(str(event.get_result_display()) for event in events)},
           link=reverse("accounts:sign_in_events"), template="people/mail/sign_in_managed",
           context={"events": events})
    return events


@transaction.atomic
def update_contact(*, actor, unit, person, request=None, **fields):
    """Correct a volunteer's name, birth date, contact data or email; the audit keeps before and after.

    A changed email is no longer verified: the forgotten-password mail goes there from now on. The person
    is told of a changed email (at the old address) or phone."""
    _require_unit(actor, unit)
    require_sign_in_manager(actor, person)
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
    old_email, old_phone = person.email, person.phone
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if person.email != old_email:
        person.email_verified_at = None
    person.save()
    changes = log.diff(before, contact_snapshot(person))
    if changes:
        log.record("backoffice.volunteer.updated", actor=actor, volunteer=person, unit=unit, obj=person,
                   changes=changes, request=request)
    told = [result for result, changed in ((Result.UNIT_EMAIL, person.email != old_email),
                                           (Result.UNIT_PHONE, person.phone != old_phone)) if changed]
    if told:
        _tell(person, told, actor=actor, unit=unit, address=old_email)
    return person, changes


def set_photo(*, actor, unit, person, uploaded, request=None):
    """The volunteer's ID photo, uploaded by the unit with the portal's checks (JPEG or PNG, at most 5 MB,
    at least 150×200, cropped to 3:4, metadata removed): it stands for the paper photos an honor-card or
    record-book application used to need. Only a unit that may manage the person's account may do it."""
    _require_unit(actor, unit)
    require_sign_in_manager(actor, person)
    try:
        clean = account_profile.process_photo(account_profile.read_upload(uploaded))
        return account_profile.replace_photo(person, clean, actor=actor, action="backoffice.volunteer.photo_updated",
                                             unit=unit, request=request)
    except account_profile.ProfileError as error:
        raise PeopleError(error.code, error.message, field="photo") from None


def set_trial_period(*, actor, membership, trial_until, request=None):
    """The membership's 見習期 (trial period): hours served before `trial_until` never count (domain.md §3.2).
    None clears it. The end may not come before the joining date, nor after the membership ended."""
    _require_unit(actor, membership.unit)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("unit", "volunteer").get(
            pk=membership.pk)
        if membership.status not in Membership.ACCEPTED:
            raise PeopleError("not_member", _("這位志工尚未同意加入本單位，還不能設定見習期。"), field="trial_until")
        if trial_until is not None and trial_until <= membership.joined_on:
            message = _("見習期的結束日必須晚於加入日期 %(date)s。") % {"date": rocdate.format(membership.joined_on)}
            raise PeopleError("trial_before_joining", message, field="trial_until")
        if trial_until is not None and membership.left_on and trial_until > membership.left_on:
            message = _("見習期的結束日不可晚於離隊日期 %(date)s。") % {"date": rocdate.format(membership.left_on)}
            raise PeopleError("trial_after_leaving", message, field="trial_until")
        before = membership.trial_until
        if before == trial_until:
            return membership, False
        membership.trial_until = trial_until
        membership.save(update_fields=["trial_until"])
        # zh-only: the audit log's field names are stored data, kept in one language
        log.record("backoffice.membership.trial_set", actor=actor, volunteer=membership.volunteer,
                   unit=membership.unit, obj=membership,
                   changes={"見習期至": [rocdate.format(before), rocdate.format(trial_until)]}, request=request)
    return membership, True


def set_temporary_password(*, actor, unit, person, request=None):
    """A new password the staff member reads to the volunteer once; it must be changed at sign-in."""
    _require_unit(actor, unit)
    require_sign_in_manager(actor, person)
    try:
        password = account_services.set_temporary_password(person, actor, request=request)
    except account_services.AccountError as error:
        raise PeopleError(error.code, error.message) from None
    log.record("backoffice.password.temporary_set", actor=actor, volunteer=person, unit=unit, obj=person,
               request=request)
    _tell(person, [Result.UNIT_TEMPORARY_PASSWORD], actor=actor, unit=unit, address=person.email)
    return password


def send_reset_link(*, actor, unit, person, request=None):
    """Mail the volunteer a link to choose a password (valid 30 minutes); the mail says which unit sent it.
    Returns the masked address."""
    _require_unit(actor, unit)
    require_sign_in_manager(actor, person)
    try:
        masked = account_services.send_reset_link(person, request=request, actor=actor, unit=unit)
    except account_services.AccountError as error:
        raise PeopleError(error.code, error.message) from None
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("backoffice.password.reset_link_sent", actor=actor, volunteer=person, unit=unit, obj=person,
               changes={"寄送至": ["", masked]}, request=request)
    _tell(person, [Result.UNIT_RESET_LINK], actor=actor, unit=unit, address=None)  # the link's mail says so
    return masked
