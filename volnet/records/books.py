"""志願服務紀錄冊: units apply, the competent authority issues, renews (換發), replaces (補發) or cancels (註銷).

Rules (domain.md §3.3, §9.2):
- one valid book per volunteer, continuing across units; the unit applies to its competent authority
  (Unit.authority, the 發給單位 printed on the book);
- a first book (初次) needs completed basic training and special training of the book's category;
- 換發 / 補發 need a valid book, which becomes 註銷 in the same transaction as the new one is issued;
- book numbers are unique per authority and never reused: a per-authority counter
  (records.RecordBookSequence), advanced while the authority row is locked. Format: prefix + ROC year +
  "-" + six-digit serial, e.g. `TC115-000124`.

Every action is one function: atomic, locks what it changes, raises BookError (code + a message in the
reader's language), writes an audit entry.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.accounts.models import User
from volnet.audit.log import record
from volnet.errors import DomainError
from volnet.lib import rocdate
from volnet.lib.words import join_sentences
from volnet.notifications.models import Kind as NoticeKind
from volnet.notifications.services import notify
from volnet.records.choices import ServiceCategory
from volnet.records.models import RecordBook, RecordBookApplication, RecordBookSequence, TrainingRecord
from volnet.records.queries import current_record_book
from volnet.units import access, operating
from volnet.units.models import Authority, Membership

Kind = RecordBook.Status  # FIRST / RENEWED / REPLACED are the application kinds
_NUMBER = re.compile(r"^([A-Z]{1,8})(\d{2,3})-(\d{1,9})$")


class BookError(DomainError):
    """A refused record-book action (volnet.errors.DomainError)."""


@dataclass
class Roster:
    """The 名冊 fields the authority needs (管理辦法 §5)."""

    name: str
    sex: str
    birth_date: object
    masked_id: str
    has_photo: bool
    missing: list = field(default_factory=list)


@dataclass
class Eligibility:
    reasons: list
    basic: object = None
    special: object = None
    book: object = None

    @property
    def ok(self):
        return not self.reasons


def roster(volunteer):
    missing = [label for label, value in [(_("性別"), volunteer.sex), (_("出生年月日"), volunteer.birth_date),
                                          (_("大頭照"), volunteer.photo)] if not value]
    return Roster(
        name=volunteer.name,
        sex=volunteer.get_sex_display() if volunteer.sex else "",
        birth_date=volunteer.birth_date,
        masked_id=volunteer.masked_id,
        has_photo=bool(volunteer.photo),
        missing=missing,
    )


def pending_application(volunteer):
    return RecordBookApplication.objects.filter(
        volunteer=volunteer, status=RecordBookApplication.Status.PENDING
    ).select_related("unit").first()


def _latest_training(volunteer, kind, category=None):
    """The latest training of the kind that counts (an entry of a unit the volunteer has not accepted does not)."""
    trainings = TrainingRecord.objects.counting().filter(volunteer=volunteer, kind=kind)
    if category:
        trainings = trainings.filter(category=category)
    return trainings.order_by("-start_date", "-id").first()


def category_label(category):
    return dict(ServiceCategory.choices).get(category, category)


def eligibility(volunteer, kind, category):
    """Why the volunteer cannot get this kind of book now; an empty list means they can."""
    reasons = []
    book = current_record_book(volunteer)
    basic = _latest_training(volunteer, TrainingRecord.Kind.BASIC)
    special = _latest_training(volunteer, TrainingRecord.Kind.SPECIAL, category) if category else None
    if category not in ServiceCategory.values:
        reasons.append(_("請選擇紀錄冊類別。"))
    if kind == Kind.FIRST:
        if book is not None:
            reasons.append(_("已持有有效紀錄冊（%(authority)s %(number)s），請改申請換發或補發。")
                           % {"authority": book.authority.name, "number": book.number})
        if basic is None:
            reasons.append(_("尚未完成基礎訓練（請先登錄基礎訓練紀錄）。"))
        if category in ServiceCategory.values and special is None:
            reasons.append(_("尚未完成%(category)s特殊訓練（請先登錄該類別的特殊訓練紀錄）。")
                           % {"category": category_label(category)})
    elif kind in (Kind.RENEWED, Kind.REPLACED):
        if book is None:
            reasons.append(_("尚未持有有效紀錄冊，請改申請初次發冊。"))
        elif category in ServiceCategory.values and category != book.category and special is None:
            reasons.append(
                _("紀錄冊類別由%(old)s改為%(new)s，須先完成%(new)s特殊訓練。")
                % {"old": book.get_category_display(), "new": category_label(category)}
            )
    else:
        reasons.append(_("請選擇申請類別：初次、換發或補發。"))
    return Eligibility(reasons=reasons, basic=basic, special=special, book=book)


# ---------------------------------------------------------------------------------------------- the unit


@transaction.atomic
def apply(*, actor, unit, volunteer, kind, category, note=""):
    """The unit asks its competent authority for a book for one of its active members."""
    if not access.can_manage_unit(actor, unit):
        raise BookError("forbidden", _("您沒有替此單位申請紀錄冊的權限。"))
    operating.require_operating(unit, BookError)
    # Lock the person: two staff members applying at once produce one application, not two.
    volunteer = User.objects.select_for_update().get(pk=volunteer.pk)
    if not Membership.objects.active().filter(volunteer=volunteer, unit=unit).exists():
        raise BookError("not_member", _("%(name)s 不是%(unit)s的服務中志工，無法由本單位申請。")
                        % {"name": volunteer.name, "unit": unit.name})
    existing = pending_application(volunteer)
    if existing is not None:
        raise BookError(
            "already_pending",
            _("%(name)s 已有一件審核中的紀錄冊申請（%(unit)s，%(date)s 申請），請等候主管機關審核。")
            % {"name": volunteer.name, "unit": existing.unit.name,
               "date": rocdate.format(timezone.localdate(existing.applied_at))},
        )
    check = eligibility(volunteer, kind, category)
    if not check.ok:
        raise BookError("not_eligible", _("不符合申請資格：%(reasons)s") % {"reasons": join_sentences(check.reasons)})
    note = (note or "").strip()
    if kind == Kind.REPLACED and not note:
        raise BookError("note_required", _("申請補發請說明原因，例如遺失或毀損。"))
    try:
        with transaction.atomic():
            application = RecordBookApplication.objects.create(
                volunteer=volunteer, unit=unit, kind=kind, category=category, note=note[:200], applied_by=actor
            )
    except IntegrityError:
        raise BookError("already_pending",
                        _("%(name)s 已有一件審核中的紀錄冊申請。") % {"name": volunteer.name}) from None
    record("records.book_application.created", actor=actor, volunteer=volunteer, unit=unit, obj=application,
           changes={"kind": kind, "category": category, "note": application.note})
    return application


@transaction.atomic
def withdraw(application, *, actor):
    """The applying unit takes back an application the authority has not decided yet."""
    application = _lock_application(application)
    if not access.can_manage_unit(actor, application.unit):
        raise BookError("forbidden", _("您沒有撤回此申請的權限。"))
    _require_pending(application)
    application.status = RecordBookApplication.Status.CANCELLED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    record("records.book_application.withdrawn", actor=actor, volunteer=application.volunteer,
           unit=application.unit, obj=application)
    return application


# ----------------------------------------------------------------------------------------- the authority


def can_decide(user, application):
    """Only staff of the applying unit's competent authority decide."""
    return access.authorities_of(user).filter(pk=application.unit.authority_id).exists()


def can_cancel_book(user, book):
    return access.authorities_of(user).filter(pk=book.authority_id).exists()


@transaction.atomic
def issue(application, *, actor, issued_on=None):
    """Issue the book: a new number; for 換發 / 補發 the previous valid book becomes 註銷 first."""
    application = _lock_application(application)
    if not can_decide(actor, application):
        raise BookError("not_authority", _("只有申請單位所屬的主管機關可以發冊。"))
    _require_pending(application)
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise BookError("future_date", _("發冊日期不可晚於今天。"))
    volunteer = User.objects.select_for_update().get(pk=application.volunteer_id)
    check = eligibility(volunteer, application.kind, application.category)
    if not check.ok:
        raise BookError("not_eligible", _("此申請已不符合發冊條件：%(reasons)s請駁回並說明原因。")
                        % {"reasons": join_sentences(check.reasons)})
    authority = Authority.objects.select_for_update().get(pk=application.unit.authority_id)

    previous = None
    if application.kind in (Kind.RENEWED, Kind.REPLACED):
        previous = RecordBook.objects.select_for_update().get(pk=check.book.pk)
        if issued_on < previous.issued_on:
            raise BookError("before_previous", _("發冊日期不可早於原紀錄冊的發冊日期 %(date)s。")
                            % {"date": rocdate.format(previous.issued_on)})
        previous.status = Kind.CANCELLED
        previous.cancelled_on = issued_on
        previous.save(update_fields=["status", "cancelled_on"])  # before the new one: one valid book at a time

    book = RecordBook.objects.create(
        volunteer=volunteer,
        number=_next_number(authority, issued_on),
        authority=authority,
        issued_on=issued_on,
        status=application.kind,
        category=application.category,
        applied_by=application.unit,
    )
    application.status = RecordBookApplication.Status.ISSUED
    application.book = book
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "book", "decided_by", "decided_at"])
    changes = {"number": book.number, "kind": application.kind, "issued_on": issued_on.isoformat()}
    if previous is not None:
        changes["cancelled"] = previous.number
        # Codes, not a sentence: the entry is read later, in the reader's language.
        record("records.book.cancelled", actor=actor, volunteer=volunteer, unit=application.unit, obj=previous,
               changes={"replaced_by": book.number, "kind": application.kind,
                        "cancelled_on": issued_on.isoformat()})
    record("records.book.issued", actor=actor, volunteer=volunteer, unit=application.unit, obj=book, changes=changes)
    notify(volunteer, NoticeKind.BOOK_ISSUED, key=f"book-issued:{book.pk}", params={"unit": authority.name,
           "number": book.number}, link=reverse("portal:services") + "?tab=book")
    return book


@transaction.atomic
def reject(application, *, actor, reason):
    application = _lock_application(application)
    if not can_decide(actor, application):
        raise BookError("not_authority", _("只有申請單位所屬的主管機關可以審核。"))
    _require_pending(application)
    reason = (reason or "").strip()
    if not reason:
        raise BookError("reason_required", _("請填寫駁回原因，讓申請單位知道如何補正。"))
    application.status = RecordBookApplication.Status.REJECTED
    application.decision_note = reason[:200]
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    record("records.book_application.rejected", actor=actor, volunteer=application.volunteer,
           unit=application.unit, obj=application, changes={"reason": application.decision_note})
    return application


@transaction.atomic
def cancel_book(book, *, actor, reason, on=None):
    """註銷 a book (管理辦法 §10: an unfit volunteer, misuse). Its number is never given out again."""
    book = RecordBook.objects.select_for_update().select_related("authority").get(pk=book.pk)
    if not can_cancel_book(actor, book):
        raise BookError("not_authority", _("只有發給此紀錄冊的主管機關可以註銷。"))
    if book.status == Kind.CANCELLED:
        raise BookError("already_cancelled", _("紀錄冊 %(number)s 已於 %(date)s 註銷。")
                        % {"number": book.number, "date": rocdate.format(book.cancelled_on)})
    reason = (reason or "").strip()
    if not reason:
        raise BookError("reason_required", _("請填寫註銷原因。"))
    on = on or timezone.localdate()
    if on < book.issued_on or on > timezone.localdate():
        raise BookError("bad_date", _("註銷日期須介於發冊日期與今天之間。"))
    book.status = Kind.CANCELLED
    book.cancelled_on = on
    book.save(update_fields=["status", "cancelled_on"])
    record("records.book.cancelled", actor=actor, volunteer=book.volunteer, unit=book.applied_by, obj=book,
           changes={"reason": reason[:200], "cancelled_on": on.isoformat()})
    return book


# ------------------------------------------------------------------------------------------- numbering


def default_prefix(authority):
    """Continue the prefix of the authority's latest book (`TC110-000123` → `TC`), else its code's letters."""
    for number in RecordBook.objects.filter(authority=authority).order_by("-issued_on", "-id").values_list(
        "number", flat=True
    )[:50]:
        match = _NUMBER.match(number)
        if match:
            return match.group(1)
    letters = re.sub(r"[^A-Z]", "", authority.code.split("-")[0].upper())
    return (letters or "VB")[:8]


def _highest_serial(authority):
    serials = (_NUMBER.match(n) for n in RecordBook.objects.filter(authority=authority).values_list("number",
                                                                                                    flat=True))
    return max((int(m.group(3)) for m in serials if m), default=0)


def _next_number(authority, issued_on):
    """Call with the authority row locked (inside `issue`)."""
    sequence = RecordBookSequence.objects.select_for_update().filter(authority=authority).first()
    if sequence is None:
        # First book through the system: continue after the numbers already entered by hand.
        sequence = RecordBookSequence.objects.create(
            authority=authority, prefix=default_prefix(authority), last_number=_highest_serial(authority)
        )
    roc_year = issued_on.year - rocdate.ROC_OFFSET
    while True:  # skips a number someone typed in by hand; the counter itself never goes back
        sequence.last_number += 1
        number = f"{sequence.prefix}{roc_year:03d}-{sequence.last_number:06d}"
        if not RecordBook.objects.filter(authority=authority, number=number).exists():
            break
    sequence.save(update_fields=["last_number"])
    return number


def _lock_application(application):
    return RecordBookApplication.objects.select_for_update().select_related("unit", "volunteer").get(pk=application.pk)


def _require_pending(application):
    if application.status != RecordBookApplication.Status.PENDING:
        raise BookError("not_pending", _("此申請目前為「%(status)s」，不能再處理。")
                        % {"status": application.get_status_display()})
