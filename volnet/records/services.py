"""Entering and correcting what a unit records about its volunteers.

Every domain action is one function here: it runs in a transaction, locks the rows it changes, refuses
with a `RecordError` (a code, and a message in the reader's language that views show as it is) and writes
an audit entry with the values before and after (in Chinese: stored data keeps its words), so every
correction keeps its history (管理辦法 §9: who entered what, and when). The rules are plain functions
too (`service_problems`, `training_problems`…), so the forms, the monthly grid and the Excel import
give the same answers as the services.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import hours as hours_lib
from volnet.lib import masking, rocdate
from volnet.lib.words import join_list
from volnet.notifications.services import Kind, notify
from volnet.records.models import (
    Award,
    Consent,
    InsuranceCoverage,
    InsurancePolicy,
    OtherItem,
    ServiceRecord,
    TrainingRecord,
)
from volnet.records.signals import changed
from volnet.units import access, operating
from volnet.units.models import Membership

HOURS_PER_DAY = Decimal(24)
MINUTES_PER_DAY = 24 * 60
# Typed hours are limited by the column they go to: its digits and decimal places.
HOURS_COLUMN = ServiceRecord._meta.get_field("hours")


class RecordError(DomainError):
    """A refused record action (volnet.errors.DomainError). A batch (the monthly grid) puts its problems in
    `errors`: {row key: {field: message}}."""

    def __init__(self, code, message, field=None, errors=None):
        super().__init__(code, message, field)
        self.errors = errors or {}


# ---------------------------------------------------------------------------------------------------
# Rules: plain functions returning {field: message}; an empty dict means the values are acceptable.
# ---------------------------------------------------------------------------------------------------


def days_in(start, end):
    return (end - start).days + 1


def _date_messages(subject):
    """Whole sentences for each subject (never a word glued into a sentence: English words differ)."""
    if subject == "training":
        return (_("請輸入訓練起日，格式如 114/02/02。"), _("訓練迄日 %(end)s 早於起日 %(start)s，請確認。"),
                _("訓練日期不可晚於今天（%(today)s）。"))
    return (_("請輸入服務起日，格式如 114/02/02。"), _("服務迄日 %(end)s 早於起日 %(start)s，請確認。"),
            _("服務日期不可晚於今天（%(today)s）。"))


def date_problems(start, end, today, start_field="start_date", end_field="end_date", subject="service"):
    """`subject` is "service" or "training"."""
    problems = {}
    missing, reversed_range, future = _date_messages(subject)
    if start is None:
        problems[start_field] = missing
        return problems
    if end is not None and end < start:
        problems[end_field] = reversed_range % {"end": rocdate.format(end), "start": rocdate.format(start)}
    elif (end or start) > today:
        field = end_field if end is not None else start_field
        problems[field] = future % {"today": rocdate.format(today)}
    return problems


def parse_hours(text):
    """Hours as typed (`3.5`) → Decimal, within the column's limits; ValueError with the message otherwise."""
    return hours_lib.parse_hours(text, places=HOURS_COLUMN.decimal_places, max_digits=HOURS_COLUMN.max_digits)


def hours_problems(hours, start, end):
    """Hours: more than 0, as many decimals as the column keeps (one), at most 24 for each day of the range."""
    if hours is None:
        return {"hours": _("請輸入服務時數。")}
    hours = Decimal(hours)
    step, maximum = hours_lib.limits(HOURS_COLUMN.decimal_places, HOURS_COLUMN.max_digits)
    if not hours.is_finite():
        return {"hours": _("時數不是數字。")}
    if hours <= 0:
        return {"hours": _("時數必須大於 0。")}
    if hours > maximum:
        return {"hours": _("時數過大，請確認。")}
    if hours != hours.quantize(step):
        return {"hours": hours_lib.too_many_places(HOURS_COLUMN.decimal_places)}
    if start is not None:
        days = days_in(start, end or start)
        if days > 0 and hours > HOURS_PER_DAY * days:
            values = {"hours": hours_lib.format_hours(hours), "limit": hours_lib.format_hours(HOURS_PER_DAY * days),
                      "days": days}
            if days == 1:
                return {"hours": _("時數 %(hours)s 超過一天最多的 %(limit)s 小時。") % values}
            return {"hours": _("時數 %(hours)s 超過這 %(days)s 天最多的 %(limit)s 小時。") % values}
    return {}


def membership_problems(volunteer, unit, start=None, end=None, *, awaiting_allowed=False):
    """The volunteer must be (or have been, on those dates) a member of the unit who accepted it.

    `awaiting_allowed`: service hours and training may also be entered for a person the unit asked to
    join who has not answered yet (domain.md §9.12); they wait for the answer (`consent_for`)."""
    if volunteer is None:
        return {"volunteer": _("請選擇志工。")}
    memberships = list(Membership.objects.filter(volunteer=volunteer, unit=unit))
    if any(m.is_active for m in memberships):
        return {}
    if any(m.status == Membership.Status.PENDING for m in memberships):
        if awaiting_allowed:
            return {}
        return {"volunteer": _("這位志工尚未同意加入本單位；同意之前，只能登錄服務時數與教育訓練。")}
    accepted = [m for m in memberships if m.is_accepted]
    if not accepted:
        if memberships:
            return {"volunteer": _("這位志工未同意加入本單位；這筆紀錄只能改登錄給其他志工，或刪除。")}
        return {"volunteer": _("%(name)s 不是 %(unit)s 的志工。") % {"name": volunteer.name, "unit": unit.label}}
    left = [m.left_on for m in accepted if m.left_on]
    last_day = max(left) if left else None
    if last_day and start and (end or start) > last_day:
        field = "end_date" if end and start <= last_day else "start_date"
        return {field: _("%(name)s 已於 %(date)s 離隊，之後的日期不能登錄。")
                % {"name": volunteer.name, "date": rocdate.format(last_day)}}
    return {}


def consent_for(volunteer, unit):
    """What a new entry of the unit about the volunteer waits for: nothing (Consent.GIVEN) when the
    volunteer serves in the unit or served in it, AWAITING while the unit's join request is unanswered."""
    statuses = set(Membership.objects.filter(volunteer=volunteer, unit=unit).values_list("status", flat=True))
    if Membership.Status.PENDING in statuses and Membership.Status.ACTIVE not in statuses:
        return Consent.AWAITING
    return Consent.GIVEN


def daily_total_problems(volunteer, start, end, hours, exclude_pk=None):
    """A one-day entry may not take the volunteer's hours on that day, in every unit, above 24."""
    if volunteer is None or start is None or hours is None or (end and end != start):
        return {}
    entered = (
        ServiceRecord.objects.standing().filter(volunteer=volunteer, start_date=start, end_date=start)
        .exclude(pk=exclude_pk)
        .aggregate(total=Sum("hours"))["total"]
        or Decimal(0)
    )
    if entered + Decimal(hours) > HOURS_PER_DAY:
        return {
            "hours": _("此志工 %(date)s 已登錄 %(entered)s 小時，再加 %(hours)s 小時會超過一天 24 小時。")
            % {"date": rocdate.format(start), "entered": hours_lib.format_hours(entered),
               "hours": hours_lib.format_hours(hours)}
        }
    return {}


def service_problems(*, unit, volunteer, service_item, content, start_date, end_date, hours, today=None,
                     exclude_pk=None, awaiting_allowed=False):
    """Every rule a service-hour entry must meet, as {field: message}."""
    today = today or timezone.localdate()
    problems = {}
    if not (service_item or "").strip():
        problems["service_item"] = _("請輸入服務項目。")
    if not (content or "").strip():
        problems["content"] = _("請輸入服務內容。")
    problems.update(date_problems(start_date, end_date, today))
    if "start_date" not in problems and "end_date" not in problems:
        problems.update(hours_problems(hours, start_date, end_date))
    elif hours is None:
        problems["hours"] = _("請輸入服務時數。")
    if volunteer is None:
        problems["volunteer"] = _("請選擇志工。")
    elif unit is not None:
        for key, message in membership_problems(volunteer, unit, start_date, end_date,
                                                awaiting_allowed=awaiting_allowed).items():
            problems.setdefault(key, message)
        if not problems:
            problems.update(daily_total_problems(volunteer, start_date, end_date, hours, exclude_pk))
    return problems


def training_problems(*, volunteer, kind, category, course, organiser, start_date, end_date, minutes,
                      sessions=1, today=None):
    today = today or timezone.localdate()
    problems = {}
    if volunteer is None:
        problems["volunteer"] = _("請選擇志工。")
    if kind not in TrainingRecord.Kind.values:
        problems["kind"] = _("請選擇訓練類別。")
    if kind == TrainingRecord.Kind.SPECIAL and not category:
        problems["category"] = _("特殊訓練須選擇服務類別。")
    if not (course or "").strip():
        problems["course"] = _("請輸入訓練課程。")
    if not (organiser or "").strip():
        problems["organiser"] = _("請輸入訓練單位。")
    problems.update(date_problems(start_date, end_date, today, subject="training"))
    if not minutes or minutes <= 0:
        problems["minutes"] = _("訓練時數必須大於 0。")
    elif start_date and "end_date" not in problems:
        days = days_in(start_date, end_date or start_date)
        if minutes > MINUTES_PER_DAY * days:
            problems["minutes"] = ngettext(
                "訓練時數 %(minutes)s 超過這 %(days)s 天最多的時數。",
                "訓練時數 %(minutes)s 超過這 %(days)s 天最多的時數。",
                days,
            ) % {"minutes": hours_lib.format_minutes(minutes), "days": days}
    if sessions is not None and sessions < 1:
        problems["sessions"] = _("訓練次數至少 1 次。")
    return problems


def policy_problems(*, unit, insurer, policy_number, start_date, end_date, volunteers, exclude_pk=None):
    problems = {}
    if not (insurer or "").strip():
        problems["insurer"] = _("請輸入保險公司。")
    if not (policy_number or "").strip():
        problems["policy_number"] = _("請輸入保單號碼。")
    if start_date is None:
        problems["start_date"] = _("請輸入保險起日。")
    if end_date is None:
        problems["end_date"] = _("請輸入保險迄日。")
    elif start_date and end_date < start_date:
        problems["end_date"] = _("保險迄日 %(end)s 早於起日 %(start)s，請確認。") % {
            "end": rocdate.format(end_date), "start": rocdate.format(start_date)}
    if not volunteers:
        problems["volunteers"] = _("請至少勾選一位被保險的志工。")
    else:
        members = set(Membership.objects.accepted().filter(unit=unit).values_list("volunteer_id", flat=True))
        outsiders = [v.name for v in volunteers if v.pk not in members]
        if outsiders:
            problems["volunteers"] = _("%(names)s 不是本單位的志工。") % {"names": join_list(outsiders)}
    if not problems:
        same = InsurancePolicy.objects.filter(
            unit=unit, insurer=insurer.strip(), policy_number=policy_number.strip(),
            start_date=start_date, end_date=end_date,
        ).exclude(pk=exclude_pk)
        if same.exists():
            problems["policy_number"] = _("這張保單（同保險公司、保單號碼與期間）已經登錄過了。")
    return problems


def other_item_problems(*, volunteer, title, start_date, end_date, today=None):
    today = today or timezone.localdate()
    problems = {}
    if volunteer is None:
        problems["volunteer"] = _("請選擇志工。")
    if not (title or "").strip():
        problems["title"] = _("請輸入事項。")
    if start_date is None:
        problems["start_date"] = _("請輸入日期，格式如 114/02/02。")
    elif end_date is not None and end_date < start_date:
        problems["end_date"] = _("迄日 %(end)s 早於日期 %(start)s，請確認。") % {
            "end": rocdate.format(end_date), "start": rocdate.format(start_date)}
    return problems


def award_problems(*, volunteer, kind, name, awarded_on, granted_by, today=None):
    today = today or timezone.localdate()
    problems = {}
    if volunteer is None:
        problems["volunteer"] = _("請選擇志工。")
    if kind not in Award.Kind.values:
        problems["kind"] = _("請選擇獎勵類別。")
    if not (name or "").strip():
        problems["name"] = _("請輸入獎項名稱。")
    if not (granted_by or "").strip():
        problems["granted_by"] = _("請輸入頒發機關。")
    if awarded_on is None:
        problems["awarded_on"] = _("請輸入頒發日期，格式如 114/02/02。")
    elif awarded_on > today:
        problems["awarded_on"] = _("頒發日期不可晚於今天（%(today)s）。") % {"today": rocdate.format(today)}
    return problems


def _raise_first(problems):
    if problems:
        field, message = next(iter(problems.items()))
        raise RecordError("invalid", message, field=field, errors={None: problems})


# ---------------------------------------------------------------------------------------------------
# Snapshots: what the audit entry shows before and after, in words a person reads.
# They are stored, so they are written in the source language (Chinese) whoever is signed in, with the
# field names and choices as msgids: volnet.audit.actions.rows() shows those in the reader's language.
# ---------------------------------------------------------------------------------------------------


def _display(obj, field_name):
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field_name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field_name}_display")())
    if isinstance(value, dt.date):
        return rocdate.format(value)
    if isinstance(value, Decimal):
        return hours_lib.format_hours(value)
    if field_name == "minutes":
        return hours_lib.format_minutes(value)
    if field.is_relation:
        if hasattr(value, "national_id"):
            # A person who has not accepted the unit is named to it masked, in its audit log too.
            return masking.person_label(value.name, value.national_id, hide_name=not getattr(obj, "consented", True))
        return str(value)
    return str(value)


def snapshot(obj, fields):
    """{verbose name: shown value} for the named fields, in the source language."""
    with translation.override(None):
        return {str(obj._meta.get_field(name).verbose_name): _display(obj, name) for name in fields}


def _policy_snapshot(policy):
    data = snapshot(policy, POLICY_FIELDS)
    names = sorted(
        masking.person_label(c.volunteer.name, c.volunteer.national_id)
        for c in policy.coverages.select_related("volunteer")
    )
    data[gettext_noop("被保險志工")] = "、".join(names)
    return data


SERVICE_FIELDS = ["volunteer", "service_item", "content", "start_date", "end_date", "hours"]
TRAINING_FIELDS = [
    "volunteer", "kind", "category", "course", "organiser", "start_date", "end_date", "sessions", "minutes",
    "certificate_number",
]
POLICY_FIELDS = ["insurer", "policy_number", "start_date", "end_date", "accident_sum", "medical_sum", "note"]
OTHER_ITEM_FIELDS = ["volunteer", "title", "content", "start_date", "end_date"]
AWARD_FIELDS = ["volunteer", "kind", "name", "level", "awarded_on", "granted_by", "certificate_number"]


# ---------------------------------------------------------------------------------------------------
# The shared steps of create / update / delete.
# ---------------------------------------------------------------------------------------------------


def _require_unit(actor, unit):
    if not access.can_manage_unit(actor, unit):
        raise RecordError("forbidden", _("您沒有管理此單位的權限。"))


def _require_new_work(actor, unit):
    """A new entry (or an approval that makes one count): the actor's unit, and a unit still in operation."""
    _require_unit(actor, unit)
    operating.require_operating(unit, RecordError)


def _lock(record):
    """Re-read the row under a lock; refuse if someone deleted it meanwhile."""
    try:
        return type(record).objects.select_for_update().get(pk=record.pk)
    except type(record).DoesNotExist:
        raise RecordError("gone", _("這筆紀錄已被刪除，請重新整理頁面。")) from None


def _clean_text(fields):
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


def _create(model, action, fields_shown, *, actor, unit, request, **fields):
    record = model(unit=unit, registrant=actor, **_clean_text(fields))
    record.save()
    log.record(
        action, actor=actor, volunteer=getattr(record, "volunteer", None), unit=unit, obj=record,
        changes=log.diff({}, snapshot(record, fields_shown)), request=request,
    )
    return record


def _update(record, action, fields_shown, *, actor, request, **fields):
    before = snapshot(record, fields_shown)
    for key, value in _clean_text(fields).items():
        setattr(record, key, value)
    record.save()
    changes = log.diff(before, snapshot(record, fields_shown))
    if changes:
        log.record(
            action, actor=actor, volunteer=getattr(record, "volunteer", None), unit=record.unit, obj=record,
            changes=changes, request=request,
        )
    return record


def _delete(record, action, fields_shown, *, actor, request, reason=""):
    changes = log.diff(snapshot(record, fields_shown), {})
    if reason:
        changes[gettext_noop("刪除原因")] = ["", reason]
    log.record(
        action, actor=actor, volunteer=getattr(record, "volunteer", None), unit=record.unit, obj=record,
        changes=changes, request=request,
    )
    record.delete()


def _merged(record, fields, names):
    return {name: fields.get(name, getattr(record, name)) for name in names}


# ---------------------------------------------------------------------------------------------------
# Service hours (服務時數)
# ---------------------------------------------------------------------------------------------------


@transaction.atomic
def add_service(*, actor, unit, volunteer, service_item, content, start_date, hours, end_date=None, request=None,
                today=None):
    """Record hours a volunteer served; 登錄人 is the staff member who enters them."""
    _require_new_work(actor, unit)
    end_date = end_date or start_date
    values = dict(volunteer=volunteer, service_item=service_item, content=content, start_date=start_date,
                  end_date=end_date, hours=hours)
    _raise_first(service_problems(unit=unit, today=today, awaiting_allowed=True, **values))
    _refuse_duplicate(unit, values)
    return _create(ServiceRecord, "records.service.created", SERVICE_FIELDS, actor=actor, unit=unit,
                   request=request, consent=consent_for(volunteer, unit), **values)


def _refuse_duplicate(unit, values, exclude_pk=None):
    same = ServiceRecord.objects.standing().filter(unit=unit, **_clean_text(values))
    if same.exclude(pk=exclude_pk).exists():
        raise RecordError("duplicate", _("已經有一筆相同的服務紀錄（同志工、日期、項目、內容與時數）。"))


@transaction.atomic
def add_services(*, actor, unit, rows, request=None, today=None):
    """The monthly grid: many entries at once, all or nothing.

    `rows` is a list of dicts with a `key` (what the errors are filed under) and the fields of
    `add_service`. A refusal lists every problem of every row in `RecordError.errors`.
    """
    _require_new_work(actor, unit)
    errors = {}
    prepared = []
    seen = {}
    for row in rows:
        key = row["key"]
        values = {name: row.get(name) for name in ("volunteer", "service_item", "content", "start_date", "hours")}
        values["end_date"] = row.get("end_date") or values["start_date"]
        problems = service_problems(unit=unit, today=today, **values)
        if not problems:
            signature = (values["volunteer"].pk, values["start_date"], values["end_date"])
            if signature in seen:
                problems["volunteer"] = _("同一位志工在同一期間出現兩次，請合併成一列。")
            seen[signature] = key
            try:
                _refuse_duplicate(unit, values)
            except RecordError as error:
                problems["hours"] = error.message
        if problems:
            errors[key] = problems
        prepared.append(values)
    if errors:
        message = ngettext("有 %(count)s 列需要修正，尚未儲存任何資料。", "有 %(count)s 列需要修正，尚未儲存任何資料。",
                           len(errors)) % {"count": len(errors)}
        raise RecordError("invalid", message, errors=errors)
    return [
        _create(ServiceRecord, "records.service.created", SERVICE_FIELDS, actor=actor, unit=unit, request=request,
                **values)
        for values in prepared
    ]


def hours_entered(actor, unit, volunteers, start, end):
    """{volunteer id: hours the unit has entered for them (declined reports aside) on records that overlap
    `start`–`end`}: the monthly grid's 本期已登錄, so a second entry of the same month stands out."""
    return dict(
        access.managed_records(actor, ServiceRecord)
        .standing()
        .filter(unit=unit, volunteer__in=volunteers, start_date__lte=end, end_date__gte=start)
        .values_list("volunteer")
        .annotate(total=Sum("hours"))
        .values_list("volunteer", "total")
    )


@transaction.atomic
def update_service(record, *, actor, request=None, today=None, **fields):
    """Correct an entry of the actor's unit; the audit entry keeps what it said before."""
    record = _lock(record)
    _require_unit(actor, record.unit)
    values = _merged(record, fields, ["volunteer", "service_item", "content", "start_date", "end_date", "hours"])
    values["end_date"] = values["end_date"] or values["start_date"]
    problems = service_problems(unit=record.unit, today=today, exclude_pk=record.pk, awaiting_allowed=True, **values)
    _raise_first(problems)
    _refuse_duplicate(record.unit, values, exclude_pk=record.pk)
    return _update(record, "records.service.updated", SERVICE_FIELDS, actor=actor, request=request,
                   consent=consent_for(values["volunteer"], record.unit), **values)


@transaction.atomic
def delete_service(record, *, actor, reason="", request=None):
    record = _lock(record)
    _require_unit(actor, record.unit)
    _delete(record, "records.service.deleted", SERVICE_FIELDS + ["status"], actor=actor, request=request,
            reason=reason)


# Self-reported hours: the volunteer reports, the unit approves or declines (declined entries stay).


@transaction.atomic
def report_hours(*, volunteer, unit, service_item, content, start_date, hours, end_date=None, request=None,
                 today=None):
    """A volunteer reports hours served at one of their units; they wait for the unit's approval."""
    if not Membership.objects.active().filter(volunteer=volunteer, unit=unit).exists():
        raise RecordError("not_member", _("您目前不是這個單位的志工，無法向它填報時數。"), field="unit")
    operating.require_operating(unit, RecordError)
    end_date = end_date or start_date
    values = dict(volunteer=volunteer, service_item=service_item, content=content, start_date=start_date,
                  end_date=end_date, hours=hours)
    _raise_first(service_problems(unit=unit, today=today, **values))
    _refuse_duplicate(unit, values)
    record = ServiceRecord(
        unit=unit, registrant=None, status=ServiceRecord.Status.PENDING, self_reported=True, **_clean_text(values)
    )
    record.save()
    log.record(
        "records.service.reported", actor=volunteer, volunteer=volunteer, unit=unit, obj=record,
        changes=log.diff({}, snapshot(record, SERVICE_FIELDS)), request=request,
    )
    return record


@transaction.atomic
def withdraw_report(record, *, volunteer, request=None):
    """A volunteer takes back a report the unit has not decided yet."""
    record = _lock(record)
    if record.volunteer_id != volunteer.pk or not record.self_reported:
        raise RecordError("forbidden", _("這不是您填報的時數。"))
    if record.status != ServiceRecord.Status.PENDING:
        raise RecordError("decided", _("單位已審核這筆時數，不能撤回。"))
    _delete(record, "records.service.withdrawn", SERVICE_FIELDS, actor=volunteer, request=request)


def _lock_pending(unit, pks):
    return list(
        ServiceRecord.objects.select_for_update()
        .filter(unit=unit, pk__in=list(pks), status=ServiceRecord.Status.PENDING)
        .select_related("volunteer")
    )


@transaction.atomic
def approve_reports(*, actor, unit, pks, request=None):
    """Approve pending self-reports of the unit; the approver becomes the 登錄人. Returns how many."""
    _require_new_work(actor, unit)
    records = _lock_pending(unit, pks)
    for record in records:
        record.status = ServiceRecord.Status.APPROVED
        record.registrant = actor
        record.save(update_fields=["status", "registrant", "updated_at"])
        log.record(
            "records.service.approved", actor=actor, volunteer=record.volunteer, unit=unit, obj=record,
            changes={gettext_noop("狀態"): [gettext_noop("待審核"), gettext_noop("已核定")]}, request=request,
        )
        notify(record.volunteer, Kind.HOURS_APPROVED, key=f"hours:{record.pk}:{record.updated_at.isoformat()}",
               params={"what": f"{rocdate.format(record.start_date)} {record.hours}", "unit": unit.label},
               link=reverse("portal:service_detail", args=[record.pk]))
    return len(records)


@transaction.atomic
def decline_reports(*, actor, unit, pks, reason, request=None):
    """Decline pending self-reports with a reason the volunteer will read; the entries are kept."""
    _require_unit(actor, unit)
    reason = (reason or "").strip()
    if not reason:
        raise RecordError("reason_required", _("退回時請填寫原因，志工會看到這段說明。"), field="reason")
    if len(reason) > 200:
        raise RecordError("reason_too_long", _("退回原因最多 200 字。"), field="reason")
    records = _lock_pending(unit, pks)
    for record in records:
        record.status = ServiceRecord.Status.DECLINED
        record.decline_reason = reason
        record.registrant = actor
        record.save(update_fields=["status", "decline_reason", "registrant", "updated_at"])
        log.record(
            "records.service.declined", actor=actor, volunteer=record.volunteer, unit=unit, obj=record,
            changes={gettext_noop("狀態"): [gettext_noop("待審核"), gettext_noop("已退回")],
                     gettext_noop("退回原因"): ["", reason]},
            request=request,
        )
        notify(record.volunteer, Kind.HOURS_RETURNED, key=f"hours:{record.pk}:{record.updated_at.isoformat()}",
               params={"what": f"{rocdate.format(record.start_date)} {record.hours}", "unit": unit.label,
                       "reason": reason}, link=reverse("portal:service_detail", args=[record.pk]))
    return len(records)


# ---------------------------------------------------------------------------------------------------
# Training (教育訓練)
# ---------------------------------------------------------------------------------------------------


def _training_values(fields):
    values = dict(fields)
    if values.get("kind") != TrainingRecord.Kind.SPECIAL and values.get("category") is None:
        values["category"] = ""
    return values


@transaction.atomic
def add_training(*, actor, unit, volunteer, kind, course, organiser, start_date, minutes, category="", end_date=None,
                 sessions=1, certificate_number="", request=None, today=None):
    _require_new_work(actor, unit)
    values = _training_values(dict(
        volunteer=volunteer, kind=kind, category=category or "", course=course, organiser=organiser,
        start_date=start_date, end_date=end_date, sessions=sessions, minutes=minutes,
        certificate_number=certificate_number or "",
    ))
    problems = training_problems(today=today, **{k: v for k, v in values.items() if k != "certificate_number"})
    problems.update(membership_problems(volunteer, unit, awaiting_allowed=True) if volunteer else {})
    _raise_first(problems)
    return _create(TrainingRecord, "records.training.created", TRAINING_FIELDS, actor=actor, unit=unit,
                   request=request, consent=consent_for(volunteer, unit), **values)


@transaction.atomic
def update_training(record, *, actor, request=None, today=None, **fields):
    record = _lock(record)
    _require_unit(actor, record.unit)
    values = _training_values(_merged(record, fields, TRAINING_FIELDS))
    problems = training_problems(today=today, **{k: v for k, v in values.items() if k != "certificate_number"})
    problems.update(membership_problems(values["volunteer"], record.unit, awaiting_allowed=True)
                    if values["volunteer"] else {})
    _raise_first(problems)
    return _update(record, "records.training.updated", TRAINING_FIELDS, actor=actor, request=request,
                   consent=consent_for(values["volunteer"], record.unit), **values)


@transaction.atomic
def delete_training(record, *, actor, reason="", request=None):
    record = _lock(record)
    _require_unit(actor, record.unit)
    _delete(record, "records.training.deleted", TRAINING_FIELDS, actor=actor, request=request, reason=reason)


# ---------------------------------------------------------------------------------------------------
# Insurance (志工保險): one policy, many insured volunteers.
# ---------------------------------------------------------------------------------------------------


def _audit_policy(action, policy, before, after, actor, request):
    changes = log.diff(before, after)
    if changes:
        log.record(action, actor=actor, unit=policy.unit, obj=policy, changes=changes, request=request)


def audit_new_policy(policy, *, actor, request=None):
    """The audit entry of a policy created elsewhere than add_policy (the spreadsheet import)."""
    _audit_policy("records.insurance.created", policy, {}, _policy_snapshot(policy), actor, request)


def _set_coverage(policy, volunteers):
    wanted = {v.pk for v in volunteers}
    current = set(policy.coverages.values_list("volunteer_id", flat=True))
    policy.coverages.filter(volunteer_id__in=current - wanted).delete()
    InsuranceCoverage.objects.bulk_create(
        [InsuranceCoverage(policy=policy, volunteer_id=pk) for pk in sorted(wanted - current)]
    )
    changed.send(sender=InsuranceCoverage, unit_ids=[policy.unit_id])  # bulk_create sends no post_save


@transaction.atomic
def add_policy(*, actor, unit, insurer, policy_number, start_date, end_date, volunteers, accident_sum=0,
               medical_sum=0, note="", request=None):
    _require_new_work(actor, unit)
    volunteers = list(volunteers)
    _raise_first(policy_problems(unit=unit, insurer=insurer, policy_number=policy_number, start_date=start_date,
                                 end_date=end_date, volunteers=volunteers))
    policy = InsurancePolicy.objects.create(
        unit=unit, registrant=actor, insurer=insurer.strip(), policy_number=policy_number.strip(),
        start_date=start_date, end_date=end_date, accident_sum=accident_sum or 0, medical_sum=medical_sum or 0,
        note=(note or "").strip(),
    )
    _set_coverage(policy, volunteers)
    _audit_policy("records.insurance.created", policy, {}, _policy_snapshot(policy), actor, request)
    return policy


@transaction.atomic
def update_policy(policy, *, actor, volunteers=None, request=None, **fields):
    policy = _lock(policy)
    _require_unit(actor, policy.unit)
    before = _policy_snapshot(policy)
    values = _merged(policy, fields, POLICY_FIELDS)
    chosen = list(volunteers) if volunteers is not None else [c.volunteer for c in policy.coverages.all()]
    _raise_first(policy_problems(unit=policy.unit, volunteers=chosen, exclude_pk=policy.pk,
                                 **{k: values[k] for k in ("insurer", "policy_number", "start_date", "end_date")}))
    for key, value in _clean_text(values).items():
        setattr(policy, key, value if value is not None else getattr(policy, key))
    policy.save()
    _set_coverage(policy, chosen)
    _audit_policy("records.insurance.updated", policy, before, _policy_snapshot(policy), actor, request)
    return policy


@transaction.atomic
def delete_policy(policy, *, actor, reason="", request=None):
    policy = _lock(policy)
    _require_unit(actor, policy.unit)
    changes = log.diff(_policy_snapshot(policy), {})
    if reason:
        changes[gettext_noop("刪除原因")] = ["", reason]
    log.record("records.insurance.deleted", actor=actor, unit=policy.unit, obj=policy, changes=changes,
               request=request)
    policy.delete()


# ---------------------------------------------------------------------------------------------------
# Other registered items (其他登錄事項) and awards (獎勵紀錄)
# ---------------------------------------------------------------------------------------------------


@transaction.atomic
def add_other_item(*, actor, unit, volunteer, title, start_date, content="", end_date=None, request=None,
                   today=None):
    _require_new_work(actor, unit)
    values = dict(volunteer=volunteer, title=title, content=content or "", start_date=start_date, end_date=end_date)
    problems = other_item_problems(today=today, **{k: v for k, v in values.items() if k != "content"})
    problems.update(membership_problems(volunteer, unit) if volunteer else {})
    _raise_first(problems)
    return _create(OtherItem, "records.other_item.created", OTHER_ITEM_FIELDS, actor=actor, unit=unit,
                   request=request, **values)


@transaction.atomic
def update_other_item(record, *, actor, request=None, today=None, **fields):
    record = _lock(record)
    _require_unit(actor, record.unit)
    values = _merged(record, fields, OTHER_ITEM_FIELDS)
    problems = other_item_problems(today=today, **{k: v for k, v in values.items() if k != "content"})
    problems.update(membership_problems(values["volunteer"], record.unit) if values["volunteer"] else {})
    _raise_first(problems)
    return _update(record, "records.other_item.updated", OTHER_ITEM_FIELDS, actor=actor, request=request, **values)


@transaction.atomic
def delete_other_item(record, *, actor, reason="", request=None):
    record = _lock(record)
    _require_unit(actor, record.unit)
    _delete(record, "records.other_item.deleted", OTHER_ITEM_FIELDS, actor=actor, request=request, reason=reason)


@transaction.atomic
def add_award(*, actor, unit, volunteer, kind, name, awarded_on, granted_by, level="", certificate_number="",
              request=None, today=None):
    _require_new_work(actor, unit)
    values = dict(volunteer=volunteer, kind=kind, name=name, level=level or "", awarded_on=awarded_on,
                  granted_by=granted_by, certificate_number=certificate_number or "")
    problems = award_problems(today=today, volunteer=volunteer, kind=kind, name=name, awarded_on=awarded_on,
                              granted_by=granted_by)
    problems.update(membership_problems(volunteer, unit) if volunteer else {})
    _raise_first(problems)
    return _create(Award, "records.award.created", AWARD_FIELDS, actor=actor, unit=unit, request=request, **values)


@transaction.atomic
def update_award(record, *, actor, request=None, today=None, **fields):
    record = _lock(record)
    if record.unit is None:
        raise RecordError("forbidden", _("這筆獎勵不是由運用單位登錄的，無法在此修改。"))
    _require_unit(actor, record.unit)
    values = _merged(record, fields, AWARD_FIELDS)
    problems = award_problems(today=today, **{k: values[k] for k in ("volunteer", "kind", "name", "awarded_on",
                                                                      "granted_by")})
    problems.update(membership_problems(values["volunteer"], record.unit) if values["volunteer"] else {})
    _raise_first(problems)
    return _update(record, "records.award.updated", AWARD_FIELDS, actor=actor, request=request, **values)


@transaction.atomic
def delete_award(record, *, actor, reason="", request=None):
    record = _lock(record)
    if record.unit is None:
        raise RecordError("forbidden", _("這筆獎勵不是由運用單位登錄的，無法在此刪除。"))
    _require_unit(actor, record.unit)
    _delete(record, "records.award.deleted", AWARD_FIELDS, actor=actor, request=request, reason=reason)
