"""The spreadsheet import of insurance (志工保險): one row per insured volunteer and policy, through the same
read → preview → all-or-nothing commit as the hours (records.imports, records.staging).

Rows naming the same policy (insurer, policy number, start and end) become one InsurancePolicy covering each
of their volunteers, as the 志工保險 form makes it. Each volunteer must serve in the unit now. A policy the unit
already registered is not made twice: its rows add their volunteers to it, and a volunteer it already covers
is an error row (the file imported twice: every row says so, nothing is written).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from volnet.lib import rocdate
from volnet.records import imports, services
from volnet.records.imports import _ID_ALIASES, Column, ImportKind
from volnet.records.models import InsuranceCoverage, InsurancePolicy
from volnet.records.signals import changed

INSURANCE = "insurance"
_LIMITS = {key: InsurancePolicy._meta.get_field(name).max_length
           for key, name in [("insurer", "insurer"), ("policy_number", "policy_number"), ("note", "note")]}
LARGEST_SUM = 2_147_483_647  # a PositiveIntegerField on every database

# zh-only: titles, aliases and examples are the file format; each help is translated (gettext_lazy)
COLUMNS = (
    Column("national_id", "身分證號碼", _ID_ALIASES, help=gettext_lazy("本單位服務中志工的身分證號碼或護照號碼"),
           example="E122333441", width=16),
    Column("name", "姓名", ("志工姓名", "被保險人"), required=False, help=gettext_lazy("用來核對，不符時會提醒"),
           example="測試熊", width=12),
    Column("insurer", "保險公司", help=gettext_lazy("最多 100 字"), example="臺灣產物保險", width=18),
    Column("policy_number", "保單號碼", help=gettext_lazy("同一張保單的被保險志工，每人一列，保單資料相同"),
           example="TW-114-0001", width=16),
    Column("start", "保險起日(民國)", ("保險起日", "起日"), help=gettext_lazy("民國年，例如 114/01/01"),
           example="114/01/01"),
    Column("end", "保險迄日(民國)", ("保險迄日", "迄日"), help=gettext_lazy("民國年，例如 114/12/31"),
           example="114/12/31"),
    Column("accident_sum", "意外險保額(元)", ("意外險保額",), required=False, help=gettext_lazy("元，空白為 0"),
           example="1000000", width=14, number="whole"),
    Column("medical_sum", "醫療險保額(元)", ("醫療險保額",), required=False, help=gettext_lazy("元，空白為 0"),
           example="30000", width=14, number="whole"),
    Column("note", "備註", required=False, help=gettext_lazy("最多 200 字"), example="", width=20),
)


def clean(cleaner, text, raw, row, titles):
    errors, data = row.errors, row.data
    cleaner.span(text, raw, row, titles)
    if "start" in data and data["end"] is None:
        errors.append(_("%(column)s：必填，格式如 114/03/01。") % {"column": titles["end"]})
        del data["start"]
    for key in ("insurer", "policy_number"):
        cleaner._text(key, text[key], titles[key], row, required=True, limit=_LIMITS[key])
    cleaner._text("note", text.get("note", ""), titles["note"], row, required=False, limit=_LIMITS["note"])
    for key in ("accident_sum", "medical_sum"):
        data[key] = _amount(text.get(key, ""), titles[key], errors)


def _amount(value, title, errors):
    cleaned = value.replace(",", "").replace("，", "").strip()
    if not cleaned:
        return 0
    try:
        number = float(cleaned)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not 0 <= number <= LARGEST_SUM:
        errors.append(_("%(column)s：「%(value)s」應為 0 或正整數（元）。")
                      % {"column": title, "value": imports._shorten(value)})
        return None
    return int(number)


def policy_key(data):
    return (data["insurer"], data["policy_number"], data["start"], data["end"])


def validate(sheet, unit, *, progress=None):
    imports.check_members(sheet, unit, progress=progress, awaiting=_(
        "%(column)s：這位志工尚未同意加入本單位；同意之後才能登錄保險。"))
    rows = [row for row in sheet.rows if not row.errors and "volunteer_id" in row.data]
    existing = {}
    numbers = sorted({row.data["policy_number"] for row in rows})
    for chunk in imports._chunks(numbers):
        for policy in InsurancePolicy.objects.filter(unit=unit, policy_number__in=chunk):
            existing[(policy.insurer, policy.policy_number, policy.start_date, policy.end_date)] = policy
    covered = set()
    for chunk in imports._chunks([policy.pk for policy in existing.values()]):
        covered.update(InsuranceCoverage.objects.filter(policy_id__in=chunk).values_list("policy_id", "volunteer_id"))
    first_of_policy, first_of_pair = {}, {}
    for row in rows:
        data = row.data
        key = policy_key(data)
        sums = (data["accident_sum"], data["medical_sum"], data["note"])
        pair = (key, data["volunteer_id"])
        if pair in first_of_pair:
            row.errors.append(_("與第 %(line)s 列重複（同一位志工、同一張保單），請刪除其中一列。")
                              % {"line": first_of_pair[pair]})
            continue
        first_of_pair[pair] = row.line
        policy = existing.get(key)
        if policy is not None:
            if (policy.accident_sum, policy.medical_sum) != sums[:2]:
                row.errors.append(_("這張保單已經登錄過（%(dates)s），保額卻不同（已登錄：意外險 %(accident)s 元、"
                                    "醫療險 %(medical)s 元）。請修正檔案，或在「志工保險」修改保單。") % {
                    "dates": rocdate.format_range(policy.start_date, policy.end_date),
                    "accident": f"{policy.accident_sum:,}", "medical": f"{policy.medical_sum:,}"})
            elif (policy.pk, data["volunteer_id"]) in covered:
                row.errors.append(_("這位志工已在這張保單中（可能重複匯入），請刪除這一列。"))
            else:
                data["policy_id"] = policy.pk
                row.warnings.append(_("這張保單已經登錄過，這位志工會加入它的被保險人。"))
            continue
        first = first_of_policy.setdefault(key, (row.line, sums))
        if first[1] != sums:
            row.errors.append(_("與第 %(line)s 列是同一張保單（同保險公司、保單號碼與期間），保額或備註卻不同；"
                                "同一張保單的每一列請填相同的資料。") % {"line": first[0]})


def commit(check, *, registrant, request, progress):
    """New policies (each with its audit entry, as the 志工保險 form writes it) and every coverage."""
    policies, new = {}, 0
    coverages = []
    for row in check.rows:
        data = row.data
        if "policy_id" in data:
            coverages.append(InsuranceCoverage(policy_id=data["policy_id"], volunteer_id=data["volunteer_id"]))
            continue
        key = policy_key(data)
        if key not in policies:
            policies[key] = InsurancePolicy.objects.create(
                unit=check.unit, registrant=registrant, insurer=data["insurer"], policy_number=data["policy_number"],
                start_date=data["start"], end_date=data["end"], accident_sum=data["accident_sum"],
                medical_sum=data["medical_sum"], note=data["note"],
            )
            new += 1
        coverages.append(InsuranceCoverage(policy=policies[key], volunteer_id=data["volunteer_id"]))
    InsuranceCoverage.objects.bulk_create(coverages, batch_size=imports.BATCH_SIZE)
    changed.send(sender=InsuranceCoverage, unit_ids=[check.unit.pk])  # bulk_create sends no post_save
    if progress is not None:
        progress(len(coverages))
    for policy in policies.values():
        services.audit_new_policy(policy, actor=registrant, request=request)
    return len(coverages), {"policies": new}


imports.register(ImportKind(
    INSURANCE, gettext_lazy("志工保險"), COLUMNS, clean, validate, commit,
    rules=(gettext_lazy("每位被保險志工一列，須為本單位服務中的志工；同一張保單（同保險公司、保單號碼與期間）的各列，"
                        "保額與備註請填相同的資料。"),
           gettext_lazy("已登錄過的保單不會重複建立：檔案中的新志工會加入該保單，已在保單中的志工是錯誤列。")),
    template_name=gettext_lazy("志工保險匯入範本"),
    done=lambda count: ngettext("已匯入 %(count)s 位志工的保險（檔案：%(file)s）。",
                                "已匯入 %(count)s 位志工的保險（檔案：%(file)s）。", count),
))
