"""志工招募: who may apply, withdraw, be accepted or declined. Accepting makes the volunteer a member.

Each action is one function: atomic, locks the posting or application it changes, raises
RecruitmentError (code + Chinese message), and staff actions write an audit entry.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import diff, record
from volnet.errors import DomainError
from volnet.notifications.services import Kind, notify
from volnet.people import services as people
from volnet.recruitment.models import Application, Posting
from volnet.units import access, operating
from volnet.units.models import Membership

Status = Application.Status
POSTING_FIELDS = ["unit_id", "title", "service_item", "place", "start_date", "end_date", "quota", "requirements",
                  "description", "is_published"]


class RecruitmentError(DomainError):
    """A refused posting or application action (volnet.errors.DomainError)."""


def with_counts(postings):
    accepted = Count("applications", filter=Q(applications__status=Status.ACCEPTED))
    return postings.annotate(
        accepted_count=accepted,
        pending_count=Count("applications", filter=Q(applications__status=Status.PENDING)),
        places_left=ExpressionWrapper(F("quota") - accepted, output_field=IntegerField()),
    )


def public_postings(today=None):
    """What anyone may browse: published, not yet ended, of a unit still in operation."""
    return Posting.objects.open_on(today or timezone.localdate())


def managed_postings(user):
    """Postings of the units the user manages (the one tenancy gate for staff pages)."""
    return Posting.objects.filter(unit__in=access.managed_units(user))


def is_open(posting, today=None):
    return posting.is_open_on(today or timezone.localdate())


def accepted_count(posting):
    return posting.applications.filter(status=Status.ACCEPTED).count()


def places_left(posting):
    return max(posting.quota - accepted_count(posting), 0)


# --------------------------------------------------------------------------------------- the volunteer


@transaction.atomic
def apply(posting, volunteer, message=""):
    posting = Posting.objects.select_for_update().select_related("unit").get(pk=posting.pk)
    operating.require_operating(posting.unit, RecruitmentError)
    if not is_open(posting):
        raise RecruitmentError("closed", _("這則招募已經截止或暫停公開，無法應徵。"))
    if places_left(posting) == 0:
        raise RecruitmentError("full", _("這則招募的 %(quota)s 個名額已滿，無法再應徵。") % {"quota": posting.quota})
    message = (message or "").strip()[:300]
    existing = Application.objects.select_for_update().filter(posting=posting, volunteer=volunteer).first()
    if existing is not None:
        if existing.status == Status.WITHDRAWN:
            # Withdrawn by mistake: the same row comes back, so there is still one application per posting.
            existing.status = Status.PENDING
            existing.message = message
            existing.applied_at = timezone.now()
            existing.decided_at = None
            existing.decided_by = None
            existing.save()
            return existing
        raise RecruitmentError("already_applied", {
            Status.PENDING: _("您已應徵這則招募，請等候單位回覆。"),
            Status.ACCEPTED: _("您已獲錄取，不需要再應徵。"),
            Status.DECLINED: _("單位已回覆這次未錄取，無法再次應徵同一則招募。"),
        }[existing.status])
    try:
        with transaction.atomic():
            return Application.objects.create(posting=posting, volunteer=volunteer, message=message)
    except IntegrityError:
        raise RecruitmentError("already_applied", _("您已應徵這則招募，請等候單位回覆。")) from None


@transaction.atomic
def withdraw(application, volunteer):
    application = Application.objects.select_for_update().filter(pk=application.pk, volunteer=volunteer).first()
    if application is None:
        raise RecruitmentError("not_found", _("找不到這筆應徵紀錄。"))
    if application.status != Status.PENDING:
        raise RecruitmentError("not_pending", _("這筆應徵目前為「%(status)s」，無法撤回。")
                               % {"status": application.get_status_display()})
    application.status = Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    return application


# ------------------------------------------------------------------------------------------- the unit


def _lock_for_decision(application, actor):
    application = Application.objects.select_for_update().select_related("volunteer").get(pk=application.pk)
    posting = Posting.objects.select_for_update().select_related("unit").get(pk=application.posting_id)
    if not access.can_manage_unit(actor, posting.unit):
        raise RecruitmentError("forbidden", _("您沒有審核這則招募的權限。"))
    if application.status != Status.PENDING:
        raise RecruitmentError("not_pending", _("這筆應徵已是「%(status)s」，不能再審核。")
                               % {"status": application.get_status_display()})
    return application, posting


@transaction.atomic
def accept(application, actor):
    """Accept and make the volunteer an active member of the posting's unit (never a second membership)."""
    application, posting = _lock_for_decision(application, actor)
    operating.require_operating(posting.unit, RecruitmentError)
    accepted = accepted_count(posting)
    if accepted >= posting.quota:
        raise RecruitmentError(
            "full", _("招募名額 %(quota)s 人已滿（已錄取 %(accepted)s 人），無法再錄取。"
                      "如需增加名額，請先修改招募人數。")
            % {"quota": posting.quota, "accepted": accepted}
        )
    application.status = Status.ACCEPTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    membership = Membership.objects.select_for_update().open().filter(
        volunteer=application.volunteer, unit=posting.unit
    ).first()
    if membership is not None and not membership.is_active:
        # The volunteer applied to this unit: that answers the unit's own open request too.
        people.settle(membership, accept=True)
    joined = membership is None
    if joined:
        membership = Membership.objects.create(volunteer=application.volunteer, unit=posting.unit)
        # zh-only: stored in the audit log, which keeps one language whoever writes it
        record("backoffice.membership.created", actor=actor, volunteer=application.volunteer, unit=posting.unit,
               obj=membership, changes={"source": f"招募錄取：{posting.title}"})
    record("recruitment.application.accepted", actor=actor, volunteer=application.volunteer, unit=posting.unit,
           obj=application, changes={"posting": posting.title, "membership": "created" if joined else "existing"})
    _tell_decision(application, posting)
    return application, membership, joined


def _tell_decision(application, posting):
    notify(application.volunteer, Kind.APPLICATION_DECIDED, key=f"application-decided:{application.pk}",
           params={"what": posting.title, "outcome": application.get_status_display()},
           link=reverse("portal:applications"))


@transaction.atomic
def decline(application, actor):
    application, posting = _lock_for_decision(application, actor)
    application.status = Status.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    record("recruitment.application.declined", actor=actor, volunteer=application.volunteer, unit=posting.unit,
           obj=application, changes={"posting": posting.title})
    return application


def _snapshot(posting):
    return {name: getattr(posting, name) for name in POSTING_FIELDS}


@transaction.atomic
def save_posting(form, actor):
    """Create or change a posting from a valid PostingForm, for a unit the actor manages."""
    posting = form.instance
    creating = posting.pk is None
    before = {} if creating else _snapshot(Posting.objects.select_for_update().get(pk=posting.pk))
    unit = form.cleaned_data.get("unit") or posting.unit
    access.require_unit(actor, unit)
    operating.require_operating(unit, RecruitmentError)
    if not creating and form.cleaned_data.get("quota") is not None:
        accepted = accepted_count(posting)
        if form.cleaned_data["quota"] < accepted:
            raise RecruitmentError("quota_below_accepted", _("招募人數不可少於已錄取的 %(accepted)s 人。")
                                   % {"accepted": accepted})
    posting = form.save(commit=False)
    if creating:
        posting.created_by = actor
    posting.save()
    record("recruitment.posting.created" if creating else "recruitment.posting.updated", actor=actor,
           unit=posting.unit, obj=posting, changes=diff(before, _snapshot(posting)))
    return posting
