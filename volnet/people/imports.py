"""The spreadsheet import of volunteers (志工資料): one row per person, through the same read → preview →
all-or-nothing commit as the hours (records.imports, records.staging), registered as one more kind.

A person without an account gets one and a membership, as 新增志工 makes them (`services.create_account`; no
password yet: the unit sets a temporary one or mails a link from the volunteer's page). An ID number that
already has an account is never enrolled: the row becomes the join request 加入本單位 sends
(`services.request_membership`), which the person accepts or declines in 我的檔案 (domain.md §9.12), and
nothing in the file is written to that account (its name, birth date and contact data belong to the person,
whoever they serve or work for). The preview says so on each such row. A file imported twice adds nothing:
its people are members or asked already, and each row says so.
"""

import datetime as dt

from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from volnet.forms import PhoneField
from volnet.lib import rocdate
from volnet.people import services
from volnet.records import imports
from volnet.records.imports import _ID_ALIASES, Column, ImportKind
from volnet.units.models import Membership

VOLUNTEERS = "volunteers"
User = get_user_model()
# zh-only: the words a 性別 cell may hold (file format)
SEXES = {"男": User.Sex.MALE, "女": User.Sex.FEMALE, "其他": User.Sex.OTHER}
_LIMITS = {"name": User._meta.get_field("name").max_length, "email": User._meta.get_field("email").max_length,
           "address": User._meta.get_field("address").max_length,
           "number": Membership._meta.get_field("volunteer_number").max_length}

# zh-only: titles, aliases and examples are the file format; each help is translated (gettext_lazy)
COLUMNS = (
    Column("national_id", "身分證號碼", _ID_ALIASES,
           help=gettext_lazy("身分證號碼、居留證號碼，或國別碼加護照號碼（例如 JPN TR1234567）"),
           example="A123456789", width=18),
    Column("name", "姓名", ("志工姓名",), help=gettext_lazy("新志工必填；已有帳號的人，不會修改其姓名"),
           example="王小明", width=12),
    Column("sex", "性別", required=False, help=gettext_lazy("男、女或其他"), example="男", width=8,
           choices=tuple(SEXES)),
    Column("birth", "出生年月日(民國)", ("出生年月日", "出生日期"),
           help=gettext_lazy("新志工必填，民國年，例如 070/05/20；忘記密碼時需要它"), example="070/05/20"),
    Column("phone", "電話", ("手機", "聯絡電話"), required=False, help=gettext_lazy("例如 0912-345-678"),
           example="0912-345-678"),
    Column("email", "電子信箱", ("電子郵件", "Email", "E-mail"), required=False,
           help=gettext_lazy("忘記密碼的重設連結會寄到這裡"), example="", width=24),
    Column("address", "地址", ("通訊地址",), required=False, help=gettext_lazy("最多 200 字"), example="", width=28),
    Column("number", "志工編號", required=False, help=gettext_lazy("最多 30 字"), example="", width=12),
    Column("joined", "加入日期(民國)", ("加入日期",), required=False, help=gettext_lazy("空白為匯入當天"),
           example="114/03/01"),
    Column("trial", "見習期至(民國)", ("見習期至",), required=False,
           help=gettext_lazy("見習期的最後一天，須晚於加入日期；已有帳號的人要等同意加入後再設定"), example=""),
)


def clean(cleaner, text, raw, row, titles):
    errors, data = row.errors, row.data
    today = cleaner.today
    if len(data.get("name", "")) > _LIMITS["name"]:
        errors.append(_("%(column)s：最多 %(limit)s 字，目前 %(length)s 字。")
                      % {"column": titles["name"], "limit": _LIMITS["name"], "length": len(data["name"])})
    sex = text.get("sex", "").replace(" ", "")
    data["sex"] = SEXES.get(sex, "")
    if sex and sex not in SEXES:
        errors.append(_("%(column)s：「%(value)s」請填男、女或其他。")
                      % {"column": titles["sex"], "value": imports._shorten(sex)})
    if cleaner.date("birth", text, raw, row, titles, required=False) and data["birth"] and data["birth"] > today:
        errors.append(_("%(column)s：出生年月日不可晚於今天。") % {"column": titles["birth"]})
    _phone(text.get("phone", ""), titles["phone"], row)
    _email(text.get("email", ""), titles["email"], row)
    cleaner._text("address", text.get("address", ""), titles["address"], row, required=False,
                  limit=_LIMITS["address"])
    cleaner._text("number", text.get("number", ""), titles["number"], row, required=False, limit=_LIMITS["number"])
    if cleaner.date("joined", text, raw, row, titles, required=False):
        data["joined"] = data["joined"] or today
        if data["joined"] > today:
            errors.append(_("%(column)s：加入日期不可晚於今天。") % {"column": titles["joined"]})
    if cleaner.date("trial", text, raw, row, titles, required=False) and data["trial"] and "joined" in data \
            and data["trial"] <= data["joined"]:
        errors.append(_("見習期的結束日必須晚於加入日期 %(date)s。") % {"date": rocdate.format(data["joined"])})


def _phone(value, title, row):
    try:
        row.data["phone"] = PhoneField(label=title, required=False).clean(value)
    except django_forms.ValidationError as error:
        row.errors.extend(error.messages)


def _email(value, title, row):
    row.data["email"] = value
    if not value:
        return
    try:
        validate_email(value)
    except django_forms.ValidationError:
        row.errors.append(_("%(column)s：「%(value)s」不是有效的電子信箱。")
                          % {"column": title, "value": imports._shorten(value, 40)})
        return
    if len(value) > _LIMITS["email"]:
        row.errors.append(_("%(column)s：最多 %(limit)s 字，目前 %(length)s 字。")
                          % {"column": title, "limit": _LIMITS["email"], "length": len(value)})


def validate(sheet, unit, *, progress=None):
    """Set lookups only: the accounts the file's numbers have, and their memberships of this unit."""
    rows = sheet.rows
    numbers = sorted({row.data["national_id"] for row in rows if "national_id" in row.data})
    accounts = {}
    for chunk in imports._chunks(numbers):
        accounts.update(User.objects.filter(national_id__in=chunk).values_list("national_id", "id"))
    memberships = {}
    for chunk in imports._chunks(list(accounts.values())):
        for volunteer_id, status, answered in Membership.objects.filter(unit=unit, volunteer_id__in=chunk) \
                .values_list("volunteer_id", "status", "answered_at"):
            memberships.setdefault(volunteer_id, []).append((status, answered))
    since = timezone.now() - dt.timedelta(days=services.ASK_AGAIN_AFTER_DAYS)
    titles = {column.key: column.title for column in sheet.columns}
    first_line = {}
    for row in rows:
        number = row.data.get("national_id")
        if number is None:
            continue
        if number in first_line:
            row.errors.append(_("與第 %(line)s 列是同一個身分證號碼，請刪除其中一列。") % {"line": first_line[number]})
            continue
        first_line[number] = row.line
        person_id = accounts.get(number)
        if person_id is None:
            _new_person(row, titles)
        else:
            _existing_person(row, person_id, memberships.get(person_id, []), since, unit)
    if progress is not None:
        progress(len(rows))


def _new_person(row, titles):
    if not row.data.get("name"):
        row.errors.append(_("%(column)s：新志工必填。") % {"column": titles["name"]})
    if not row.data.get("birth") and not any(titles["birth"] in error for error in row.errors):
        row.errors.append(_("%(column)s：新志工必填，格式如 070/05/20；忘記密碼時需要它。")
                          % {"column": titles["birth"]})


def _existing_person(row, person_id, statuses, since, unit):
    """An account already there: a join request, never a membership, never a change to the account."""
    if any(status == Membership.Status.ACTIVE for status, _answered in statuses):
        row.errors.append(_("這個身分證號碼已是本單位的志工（可能重複匯入），請刪除這一列。"))
    elif any(status == Membership.Status.PENDING for status, _answered in statuses):
        row.errors.append(_("已向這個身分證號碼的帳號送出加入本單位的邀請，正等待回覆（可能重複匯入），請刪除這一列。"))
    elif any(status == Membership.Status.DECLINED and answered and answered > since for status, answered in statuses):
        row.errors.append(_("這位志工最近婉拒了加入 %(unit)s 的邀請；%(days)s 天內不再寄送邀請。"
                            "如有誤會，請志工直接與單位聯繫。")
                          % {"unit": unit.label, "days": services.ASK_AGAIN_AFTER_DAYS})
    else:
        row.data["person_id"] = person_id
        row.warnings.append(_("這個身分證號碼已有帳號：匯入時會送出加入本單位的邀請，本人在「我的檔案」同意後才成為"
                              "本單位的志工。檔案中的姓名、性別、出生年月日與聯絡資料不會寫入這個帳號。"))
        if row.data.get("trial"):
            row.warnings.append(_("見習期要等志工同意加入後，才能在志工資料頁設定；這一欄不會儲存。"))


def commit(check, *, registrant, request, progress):
    """Each row as 新增志工 or 加入本單位 would do it (their audit entries and the person's mail included)."""
    accounts = asked = 0
    refused = False
    for row in check.rows:
        data = row.data
        try:
            if "person_id" in data:
                services.request_membership(actor=registrant, unit=check.unit, person=User(pk=data["person_id"]),
                                            joined_on=data["joined"], volunteer_number=data["number"],
                                            request=request)
                asked += 1
            else:
                services.create_account(
                    actor=registrant, unit=check.unit, national_id=data["national_id"], name=data["name"],
                    birth_date=data["birth"], sex=data["sex"], email=data["email"], phone=data["phone"],
                    address=data["address"], joined_on=data["joined"], volunteer_number=data["number"],
                    trial_until=data["trial"], request=request)
                accounts += 1
        except services.PeopleError as error:  # the database changed since the check
            row.errors.append(error.message)
            refused = True
        if progress is not None:
            progress(1)
    if refused:
        raise imports.RowsRefused
    return accounts + asked, {"accounts": accounts, "requests": asked}


imports.register(ImportKind(
    VOLUNTEERS, gettext_lazy("志工資料"), COLUMNS, clean, validate, commit,
    rules=(gettext_lazy("每位志工一列。沒有帳號的人會建立帳號並加入本單位（尚未設定密碼：匯入後請在志工資料頁設定臨時密碼"
                        "或寄送設定密碼的連結）。"),
           gettext_lazy("已有帳號的人不會直接加入，也不會修改其資料：匯入時會送出加入本單位的邀請，本人在「我的檔案」"
                        "同意後才成為本單位的志工。"),
           gettext_lazy("已是本單位志工或已邀請的人是錯誤列，所以同一份檔案不會匯入兩次。")),
    template_name=gettext_lazy("志工資料匯入範本"),
    done=lambda count: ngettext(
        "已匯入 %(count)s 位志工（檔案：%(file)s）：%(accounts)s 位建立帳號並加入本單位，%(requests)s 位已有帳號，"
        "已送出加入邀請，待本人在「我的檔案」同意。新帳號還沒有密碼，請在志工資料頁設定臨時密碼或寄送設定密碼的連結。",
        "已匯入 %(count)s 位志工（檔案：%(file)s）：%(accounts)s 位建立帳號並加入本單位，%(requests)s 位已有帳號，"
        "已送出加入邀請，待本人在「我的檔案」同意。新帳號還沒有密碼，請在志工資料頁設定臨時密碼或寄送設定密碼的連結。",
        count),
))
