"""申請更正 (個資法 §3: a person may have their data corrected): a volunteer asks the unit that entered one of their
records to correct it; the unit answers, corrected (after correcting the record on its own pages) or declined
with the reason. Both sides are told through `notify`, each step is an audit entry.

The record a request is about is found among the volunteer's own records only (`find_record`): a request about
anyone else's record is refused as if the record did not exist. A unit reads and answers only the requests
about its own entries (`units.access.managed_records`).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import masking
from volnet.notifications.services import Kind as NoticeKind
from volnet.notifications.services import notify
from volnet.records import summaries
from volnet.records.models import (
    Award,
    CorrectionRequest,
    InsurancePolicy,
    OtherItem,
    PerformanceCertificate,
    RecordBook,
    ServiceRecord,
    TrainingRecord,
)
from volnet.units import access
from volnet.units.models import Membership, StaffRole

Kind = CorrectionRequest.Kind
Status = CorrectionRequest.Status
TEXT_LIMIT = CorrectionRequest._meta.get_field("wrong").max_length
# The audit entry keeps source-language words (the log page shows them in the reader's language).
OUTCOME_WORDS = {Status.CORRECTED: gettext_noop("已更正"), Status.DECLINED: gettext_noop("不予更正")}


class CorrectionError(DomainError):
    """A refused correction action (volnet.errors.DomainError)."""


# Each kind: its model, how a record names its volunteer, and the relation that holds the unit that entered it.
_RECORDS = {
    Kind.SERVICE: (ServiceRecord, "volunteer", "unit"),
    Kind.TRAINING: (TrainingRecord, "volunteer", "unit"),
    Kind.INSURANCE: (InsurancePolicy, "coverages__volunteer", "unit"),
    Kind.OTHER_ITEM: (OtherItem, "volunteer", "unit"),
    Kind.AWARD: (Award, "volunteer", "unit"),
    Kind.BOOK: (RecordBook, "volunteer", "applied_by"),
    Kind.CERTIFICATE: (PerformanceCertificate, "volunteer", "unit"),
}


def _own(kind, volunteer):
    """The volunteer's own records of one kind, each with the unit that entered it (`_unit_of`)."""
    if kind not in _RECORDS:
        return None
    model, person, entered_by = _RECORDS[kind]
    return model.objects.filter(**{person: volunteer}).select_related(entered_by)


def unit_of(kind, record):
    """The unit that answers for the record: the one that entered it (a record book: the unit that applied
    for it; the authority issued it on that unit's roster). None: no unit to ask (an award the authority
    entered itself)."""
    return record.applied_by if kind == Kind.BOOK else record.unit


def find_record(volunteer, kind, record_id):
    """The volunteer's own record of `kind` with that id, or None (never anyone else's)."""
    records = _own(kind, volunteer) if kind in Kind.values else None
    if records is None or not isinstance(record_id, int) or record_id < 1:
        return None
    return records.filter(pk=record_id).first()


def summary(kind, record):
    return summaries.summary(kind, record)


def _clean(text, field, missing):
    text = " ".join((text or "").split())
    if not text:
        raise CorrectionError(f"{field}_required", missing, field=field)
    if len(text) > TEXT_LIMIT:
        raise CorrectionError(f"{field}_too_long", _("最多 %(limit)s 字。") % {"limit": TEXT_LIMIT}, field=field)
    return text


def _staff_of(unit):
    """The people in force in the unit's own staff roles: they hear of a request about its entries."""
    return (StaffRole.objects.in_force().filter(unit=unit)
            .select_related("user").order_by("user_id"))


def _who_for(unit, volunteer):
    """The volunteer as the unit's staff may read them: masked until the volunteer accepted the unit."""
    accepted = Membership.objects.accepted().filter(unit=unit, volunteer=volunteer).exists()
    return masking.person_label(volunteer.name, volunteer.national_id, hide_name=not accepted)


def request_correction(volunteer, kind, record_id, *, wrong, should_be, request=None):
    """The volunteer asks the unit that entered their record `kind`/`record_id` to correct it.

    Refuses (CorrectionError): not_found (not one of the volunteer's records: someone else's is not found
    either), no_unit, wrong_required / should_be_required / …_too_long, pending (a request about the record
    still waits for its answer)."""
    record = find_record(volunteer, kind, record_id)
    if record is None:
        raise CorrectionError("not_found", _("找不到這筆紀錄。"))
    unit = unit_of(kind, record)
    if unit is None:
        raise CorrectionError("no_unit", _("這筆紀錄不是由運用單位登錄的，請洽登錄的主管機關更正。"))
    wrong = _clean(wrong, "wrong", _("請說明哪裡有誤。"))
    should_be = _clean(should_be, "should_be", _("請填寫正確的內容。"))
    with transaction.atomic():
        # One request at a time per record: the lock on the volunteer's row orders two submits.
        get_user_model().objects.select_for_update().filter(pk=volunteer.pk).first()
        if CorrectionRequest.objects.filter(volunteer=volunteer, kind=kind, record_id=record.pk,
                                            status=Status.PENDING).exists():
            raise CorrectionError("pending", _("這筆紀錄已有處理中的更正申請，請等候單位回覆。"))
        correction = CorrectionRequest.objects.create(
            volunteer=volunteer, unit=unit, kind=kind, record_id=record.pk, summary=summary(kind, record)[:300],
            wrong=wrong, should_be=should_be)
        log.record("records.correction.requested", actor=volunteer, volunteer=volunteer, unit=unit, obj=correction,
                   changes={gettext_noop("紀錄"): ["", correction.summary], gettext_noop("錯誤之處"): ["", wrong],
                            gettext_noop("正確內容"): ["", should_be]}, request=request)
        who = _who_for(unit, volunteer)
        link = reverse("backoffice:correction", args=[correction.pk])
        for role in _staff_of(unit):
            notify(role.user, NoticeKind.CORRECTION_REQUESTED, key=f"correction:{correction.pk}:to:{role.user_id}",
                   params={"who": who, "unit": unit.label, "what": correction.summary}, link=link)
    return correction


def answer_correction(actor, pk, *, outcome, answer, request=None):
    """The unit answers a request about its entry: `outcome` "corrected" (the record was corrected; the answer
    may say how) or "declined" (the answer says why). Refuses (CorrectionError): not_found (not a request
    about the actor's units' entries), answered, outcome, answer_required, answer_too_long."""
    if outcome not in (Status.CORRECTED, Status.DECLINED):
        raise CorrectionError("outcome", _("請選擇已更正或不予更正。"), field="outcome")
    answer = " ".join((answer or "").split())
    if outcome == Status.DECLINED and not answer:
        raise CorrectionError("answer_required", _("不予更正時請說明原因，志工會看到這段說明。"), field="answer")
    if len(answer) > TEXT_LIMIT:
        raise CorrectionError("answer_too_long", _("最多 %(limit)s 字。") % {"limit": TEXT_LIMIT}, field="answer")
    with transaction.atomic():
        correction = (access.managed_records(actor, CorrectionRequest).select_for_update()
                      .filter(pk=pk).select_related("volunteer", "unit").first())
        if correction is None:
            raise CorrectionError("not_found", _("找不到這筆更正申請。"))
        if not correction.is_pending:
            raise CorrectionError("answered", _("這筆更正申請已經回覆過了。"))
        correction.status, correction.answer = outcome, answer
        correction.answered_by, correction.answered_at = actor, timezone.now()
        correction.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        log.record("records.correction.answered", actor=actor, volunteer=correction.volunteer, unit=correction.unit,
                   obj=correction, changes={gettext_noop("狀態"): [gettext_noop("處理中"), OUTCOME_WORDS[outcome]],
                                            gettext_noop("單位回覆"): ["", answer]}, request=request)
        notify(correction.volunteer, NoticeKind.CORRECTION_ANSWERED, key=f"correction:{correction.pk}:answered",
               params={"unit": correction.unit.label, "what": correction.summary,
                       "outcome": correction.get_status_display()},
               link=reverse("portal:correction", args=[correction.kind, correction.record_id]))
    return correction


# ---------------------------------------------------------------------------------------------------
# Reads


def requests_for(volunteer):
    """The volunteer's own requests, newest first."""
    return CorrectionRequest.objects.filter(volunteer=volunteer).select_related("unit").order_by("-created_at", "-id")


def requests_about(volunteer, kind, record_id):
    return requests_for(volunteer).filter(kind=kind, record_id=record_id)


def latest_by_record(volunteer, kind, record_ids):
    """{record id: the newest request about it} for the rows of one page: one query, none for no rows."""
    record_ids = list(record_ids)
    latest = {}
    if not record_ids:  # an empty tab: the ORM would still build the query (a millisecond) to run none
        return latest
    for correction in CorrectionRequest.objects.filter(
            volunteer=volunteer, kind=kind, record_id__in=record_ids).order_by("created_at", "id"):
        latest[correction.record_id] = correction
    return latest


def _staff_view(actor):
    """The requests the actor's units may read, each with `accepted`: whether the volunteer accepted the unit
    (until then the unit reads a masked name, domain.md §9.12)."""
    accepted = Membership.objects.accepted().filter(unit=OuterRef("unit"), volunteer=OuterRef("volunteer"))
    return access.managed_records(actor, CorrectionRequest).annotate(accepted=Exists(accepted))


def unit_queue(actor, unit, answered=False):
    """Requests about the entries of `unit` (one the actor manages): waiting (oldest first) or answered."""
    access.require_unit(actor, unit)
    queue = _staff_view(actor).filter(unit=unit)
    queue = queue.exclude(status=Status.PENDING) if answered else queue.filter(status=Status.PENDING)
    return queue.select_related("volunteer", "answered_by").order_by(
        *(("-answered_at", "-id") if answered else ("created_at", "id")))


def for_staff(actor, pk):
    """One request about an entry of the actor's units, or None."""
    return _staff_view(actor).filter(pk=pk).select_related("volunteer", "unit", "answered_by").first()


def record_still_there(correction):
    """The record the request is about, as it is now (None when the unit deleted it)."""
    return find_record(correction.volunteer, correction.kind, correction.record_id)
