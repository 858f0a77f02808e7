"""A volunteer asks a unit for a 志願服務績效證明書 and the unit's 承辦人 → 志工督導 → 負責人 review it
(domain.md §3.5: "the 承辦人, the 志工督導 and the 負責人 review it; the unit issues it within 7 days").

One state machine, on CertificateRequest.status:

    待承辦人審核 (clerk) ─同意→ 待督導審核 (supervisor) ─同意→ 待負責人核定 (head) ─同意→ 已核發 (issued)
          │ 退回 / 撤回            │ 退回 / 撤回               │ 退回 / 撤回
          └──────────────→ 已退回 (returned) / 已撤回 (withdrawn)   (both final; the volunteer may ask again)

- only a person holding the step's role in the unit (or a unit above it) in force acts on that step: the
  承辦人 step needs a 承辦人, and so on; staff of another unit and authority staff never act;
- a step is acted on once: the reviewer's page posts the step it showed, and a request that has moved on
  (another reviewer, a second click, a second tab, the volunteer's withdrawal) is refused, not acted on twice
  (a conditional UPDATE on the status and one review row per step, both enforced by the database);
- nobody reviews their own request, and one person approves at most one step of a request (three reviews by
  three people, as the rule reads);
- the figures (period, hours, seniority) are the engine's for the unit on the day of the request; the
  負責人's approval issues the certificate for that period (volnet.eligibility.certificates), and a unit that
  can no longer certify it (hours corrected meanwhile) is refused with the reason;
- the deadline is the rule table's `deadline_days` (7) from the day of the request: `due_on`.

Every action is atomic, raises CertificateError (a code and a message in the reader's language), writes an
audit entry, and tells whom it concerns (volnet.notifications.notify): the next step's staff, and the
volunteer when the certificate is issued or the request returned.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import record
from volnet.eligibility import certificates, engine
from volnet.eligibility.certificates import CertificateError
from volnet.eligibility.models import CertificateRequest, CertificateReview, Rule
from volnet.lib import rocdate
from volnet.lib.words import join_list
from volnet.notifications.models import Kind
from volnet.notifications.services import notify
from volnet.records.models import PerformanceCertificate
from volnet.units import access, operating
from volnet.units.models import Membership, StaffRole, Unit

Status = CertificateRequest.Status
Step = CertificateReview.Step
DEFAULT_DEADLINE_DAYS = 7  # only if the rule table has no 辦理期限 (migration 0003 writes 7)

# step (the status a request waits in) → the role that acts on it, and where an approval sends the request
STEP_ROLE = {Status.CLERK: StaffRole.Role.CLERK, Status.SUPERVISOR: StaffRole.Role.SUPERVISOR,
             Status.HEAD: StaffRole.Role.HEAD}
NEXT = {Status.CLERK: Status.SUPERVISOR, Status.SUPERVISOR: Status.HEAD, Status.HEAD: Status.ISSUED}
ORDER = [Status.CLERK, Status.SUPERVISOR, Status.HEAD]


# ------------------------------------------------------------------------------------------------- reads


def deadline(day):
    """The last day the unit has for a request made on `day` (the rule's 辦理期限, 7 days)."""
    rule = engine.rulebook(day).one(Rule.Scheme.CERTIFICATE)
    days = rule.deadline_days if rule is not None and rule.deadline_days else DEFAULT_DEADLINE_DAYS
    return day + dt.timedelta(days=days)


def days_left(req, today=None):
    """Days until the deadline (0: today is the last day; negative: overdue by that many days)."""
    return (req.due_on - (today or timezone.localdate())).days


def options(volunteer, today=None):
    """[(unit, engine Result, waiting request or None, service items)] for every unit the volunteer accepted to
    serve (serving or ended): the units one may ask, with the period, hours and service items the rules give
    for each (that unit's counted hours only, to the end of last month)."""
    today = today or timezone.localdate()
    results = engine.evaluate_volunteer(volunteer, today).certificates
    unit_ids = set(Membership.objects.accepted().filter(volunteer=volunteer).values_list("unit_id", flat=True))
    waiting = {req.unit_id: req for req in CertificateRequest.objects.filter(
        volunteer=volunteer, status__in=CertificateRequest.WAITING)}
    units = Unit.objects.filter(pk__in=unit_ids).order_by("code", "name")
    found = []
    for unit in units:
        result = results.get(unit.pk)
        items = (certificates.service_items(volunteer, unit, result.window_start, result.window_end)
                 if result is not None and result.window_start else "")
        found.append((unit, result, waiting.get(unit.pk), items))
    return found


def waiting_for(unit, volunteer_ids):
    """Ids of the volunteers whose request to `unit` waits at one of its steps."""
    return set(CertificateRequest.objects.filter(unit=unit, volunteer_id__in=volunteer_ids,
                                                 status__in=CertificateRequest.WAITING).values_list("volunteer_id",
                                                                                                    flat=True))


def requests_of(volunteer):
    """The volunteer's own requests, newest first, with their unit and certificate."""
    return (CertificateRequest.objects.filter(volunteer=volunteer).select_related("unit", "certificate")
            .prefetch_related("reviews").order_by("-submitted_at", "-id"))


def unit_requests(user, unit):
    """Requests made to the unit; PermissionDenied for a unit the user does not manage."""
    access.require_unit(user, unit)
    return CertificateRequest.objects.filter(unit=unit).select_related("volunteer", "unit", "certificate")


def acting_step(user, req, roles=None):
    """The step `user` may act on now (the request's status), or None. `roles`: the user's roles in the
    request's unit, when the caller has them already (a list of one unit's requests)."""
    if not req.is_waiting or req.volunteer_id == user.pk:
        return None
    if STEP_ROLE[req.status] not in (access.unit_roles(user, req.unit) if roles is None else roles):
        return None
    if any(review.reviewer_id == user.pk for review in req.reviews.all()):
        return None
    return req.status


def own_certificate(volunteer, pk):
    """The volunteer's own certificate `pk` (any unit, issued or cancelled), or None."""
    return PerformanceCertificate.objects.filter(volunteer=volunteer, pk=pk).select_related("unit").first()


# --------------------------------------------------------------------------------------------- actions


@transaction.atomic
def submit(volunteer, unit, purpose, purpose_note="", today=None, request=None, actor=None):
    """The volunteer asks `unit` for a certificate of their service there, for `purpose`. `actor`: a member of
    the unit's staff entering a paper application for the volunteer (default: the volunteer, online); either
    way the request starts at the 承辦人 step."""
    today = today or timezone.localdate()
    actor = actor or volunteer
    online = actor.pk == volunteer.pk
    if not online and not access.is_unit_staff(actor, unit):
        raise CertificateError("forbidden", _("只有%(unit)s的工作人員可以代志工申請該單位的績效證明書。")
                               % {"unit": unit.name})
    if not Membership.objects.accepted().filter(volunteer=volunteer, unit=unit).exists():
        raise CertificateError("not_member", _("您不是%(unit)s的志工，無法向該單位申請績效證明書。")
                               % {"unit": unit.name}, field="unit")
    operating.require_operating(unit, CertificateError)  # closed or merged: "ask its successor"
    if purpose not in CertificateRequest.Purpose.values or (online and purpose == CertificateRequest.Purpose.PAPER):
        raise CertificateError("purpose", _("請選擇用途。"), field="purpose")
    purpose_note = (purpose_note or "").strip()[:100]
    if purpose == CertificateRequest.Purpose.OTHER and not purpose_note:
        raise CertificateError("purpose_note", _("用途為「其他」時，請說明用途。"), field="purpose_note")
    result = engine.evaluate_volunteer(volunteer, today).certificates.get(unit.pk)
    if result is None or not result.eligible:
        reasons = join_list(result.reasons) if result is not None else _("在本單位沒有服務紀錄")
        if online:
            message = _("您尚不符合%(unit)s開立績效證明書的資格：%(reasons)s。") % {
                "unit": unit.name, "reasons": reasons}
        else:
            message = _("%(name)s 不符合%(unit)s開立績效證明書的資格：%(reasons)s。") % {
                "name": volunteer.name, "unit": unit.name, "reasons": reasons}
        raise CertificateError("not_eligible", message, field="unit")
    issued = certificates.valid_for_period(volunteer.pk, unit.pk, result.window_start, result.window_end)
    if issued is not None:
        raise CertificateError("already_issued", _(
            "%(unit)s已為同一採計期間開立績效證明書（%(number)s），請在「榮譽紀錄」下載。") % {
            "unit": unit.name, "number": issued.number}, field="unit")
    waiting = CertificateRequest.objects.filter(volunteer=volunteer, unit=unit, status__in=CertificateRequest.WAITING)
    if waiting.exists():
        raise _waiting(volunteer, unit, online)
    try:
        with transaction.atomic():
            req = CertificateRequest.objects.create(
                volunteer=volunteer, unit=unit, purpose=purpose, purpose_note=purpose_note,
                period_start=result.window_start, period_end=result.window_end, hours=result.hours,
                months=result.months, counted_on=today, due_on=deadline(today), filed_by=actor,
            )
    except IntegrityError:  # the same request sent twice at once
        raise _waiting(volunteer, unit, online) from None
    record("eligibility.certificate_request.submitted", actor=actor, volunteer=volunteer, unit=unit, obj=req,
           request=request, changes={"purpose": req.purpose, "purpose_note": req.purpose_note, "online": online,
                                     "hours": str(req.hours), "due_on": req.due_on.isoformat()})
    _tell_step(req)
    return req


def _waiting(volunteer, unit, online):
    if online:
        return CertificateError("waiting", _("您向%(unit)s的申請尚在審核中，請勿重複申請。") % {"unit": unit.name},
                                field="unit")
    return CertificateError("waiting", _("%(name)s 向%(unit)s的申請尚在審核中。") % {
        "name": volunteer.name, "unit": unit.name}, field="unit")


@transaction.atomic
def withdraw(volunteer, req, request=None):
    """撤回: the volunteer takes back a request that still waits."""
    req = _locked(req)
    if req.volunteer_id != volunteer.pk:
        raise CertificateError("forbidden", _("只有申請人本人可以撤回申請。"))
    if not req.is_waiting:
        raise _closed(req)
    step = req.status
    _move(req, Status.WITHDRAWN, closed_at=timezone.now())
    record("eligibility.certificate_request.withdrawn", actor=volunteer, volunteer=volunteer, unit=req.unit,
           obj=req, request=request, changes={"step": step})
    return req


@transaction.atomic
def approve(actor, req, step, today=None, request=None):
    """The step's reviewer agrees; the 負責人's approval issues the certificate. `step`: the step the
    reviewer's page showed (a request that moved on since is refused)."""
    today = today or timezone.localdate()
    req = _locked(req)
    _check_reviewer(actor, req, step)
    current = req.status
    _review(req, current, CertificateReview.Decision.APPROVED, actor)
    if NEXT[current] == Status.ISSUED:
        certificate = certificates.issue_certificate(actor, req.unit, req.volunteer, today=today, request=request,
                                                     counted_on=req.counted_on, head_name=actor.name)
        _move(req, Status.ISSUED, certificate=certificate, closed_at=timezone.now())
    else:
        _move(req, NEXT[current])
    record("eligibility.certificate_request.approved", actor=actor, volunteer=req.volunteer, unit=req.unit,
           obj=req, request=request, changes={"step": current, "status": req.status})
    if req.status == Status.ISSUED:
        notify(req.volunteer, Kind.CERTIFICATE_ISSUED, key=f"certificate-issued:{req.pk}",
               params={"unit": req.unit.name, "number": req.certificate.number},
               link=reverse("portal:certificates"))
    else:
        _tell_step(req)
    return req


@transaction.atomic
def send_back(actor, req, step, reason, request=None):
    """退回: the step's reviewer returns the request to the volunteer with the reason; it is closed."""
    req = _locked(req)
    _check_reviewer(actor, req, step)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("reason_required", _("請填寫退回原因，讓志工知道如何補正。"), field="reason")
    current = req.status
    _review(req, current, CertificateReview.Decision.RETURNED, actor, note=reason[:200])
    _move(req, Status.RETURNED, return_reason=reason[:200], closed_at=timezone.now())
    record("eligibility.certificate_request.returned", actor=actor, volunteer=req.volunteer, unit=req.unit,
           obj=req, request=request, changes={"step": current, "reason": req.return_reason})
    notify(req.volunteer, Kind.CERTIFICATE_RETURNED, key=f"certificate-returned:{req.pk}",
           params={"unit": req.unit.name, "reason": req.return_reason}, link=reverse("portal:certificates"))
    return req


# ------------------------------------------------------------------------------------------------ helpers


def _locked(req):
    return CertificateRequest.objects.select_for_update().select_related("unit", "volunteer").get(pk=req.pk)


def _closed(req):
    return CertificateError("closed", _("此申請%(status)s，無法再處理。") % {"status": req.get_status_display()})


def _check_reviewer(actor, req, step):
    """Refuse anyone but a holder of the waiting step's role who has not yet reviewed this request."""
    roles = access.unit_roles(actor, req.unit)
    if not roles:
        raise CertificateError("forbidden", _("只有%(unit)s的工作人員可以審核該單位的績效證明書申請。")
                               % {"unit": req.unit.name})
    if not req.is_waiting:
        raise _closed(req)
    if step != req.status:
        raise CertificateError("moved_on", _("此申請已由他人處理，目前%(status)s；請重新整理頁面。")
                               % {"status": req.get_status_display()})
    if req.volunteer_id == actor.pk:
        raise CertificateError("own_request", _("您不能審核自己的申請。"))
    needed = STEP_ROLE[req.status]
    if needed not in roles:
        later = [STEP_ROLE[later] for later in ORDER[ORDER.index(req.status) + 1:]]
        if any(role in roles for role in later):
            raise CertificateError("not_yet", _("此申請目前%(status)s，尚未輪到您；各關依序審核，不可跳關。")
                                   % {"status": req.get_status_display()})
        raise CertificateError("wrong_role", _("此關須由%(role)s審核。") % {"role": StaffRole.Role(needed).label})
    if req.reviews.filter(reviewer=actor).exists():
        raise CertificateError("same_reviewer", _("您已審核過此申請的前一關；每一關須由不同的人審核。"))


def _review(req, step, decision, actor, note=""):
    try:
        with transaction.atomic():
            CertificateReview.objects.create(request=req, step=step, decision=decision, reviewer=actor, note=note)
    except IntegrityError:
        raise CertificateError("moved_on", _("此申請已由他人處理；請重新整理頁面。")) from None


def _move(req, status, **fields):
    """Move a locked request from the status it was read in to `status`; nobody else moved it meanwhile."""
    moved = CertificateRequest.objects.filter(pk=req.pk, status=req.status).update(status=status, **fields)
    if moved != 1:
        raise CertificateError("moved_on", _("此申請已由他人處理；請重新整理頁面。"))
    req.status = status
    for name, value in fields.items():
        setattr(req, name, value)


def _tell_step(req):
    """Tell the staff who act on the request's waiting step that it waits for them, with the deadline."""
    role = STEP_ROLE[req.status]
    for person in access.unit_staff_with_role(req.unit, role).exclude(pk=req.volunteer_id):
        notify(person, Kind.CERTIFICATES_TO_REVIEW, key=f"certificate-request:{req.pk}:{req.status}:{person.pk}",
               params={"unit": req.unit.name, "name": req.volunteer.name, "due": rocdate.format(req.due_on)},
               link=reverse("backoffice:certificate_request", args=[req.pk]) + f"?unit={req.unit_id}")
