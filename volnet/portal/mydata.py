# zh-only-file: the data download is a file format (sheet names, headings, 說明.txt), Chinese in every language
"""我的資料下載 (個資法 §3: a person may have a copy of what is held about them): one zip with everything the site
holds about the signed-in person, as JSON for programs and as an .xlsx to read, one sheet per kind.

The sheet names, column headings and 說明.txt are Chinese in every language (a file format, like the exports);
the JSON's keys are English, documented in 說明.txt and in the JSON's own "keys".

Each kind is a `Section`: its JSON key, its sheet's name and the `Field`s of its rows (a key, a Chinese heading,
the value for the JSON and, where it differs, the value to read). Rows are read from the database in chunks
(`.iterator`) and written as they come, the JSON into the zip and the xlsx through openpyxl's write-only mode
(lib.spreadsheets), so a history of many thousands of records never sits in memory whole. The person's own ID
number is in full; anyone else (the staff who entered a record, who decided an application) is named with the
ID masked, the 國發會 rule (`lib.masking.person_label`), and another person's address never appears.
"""

import dataclasses
import datetime as dt
import functools
import json
import shutil
import tempfile
import zipfile
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from volnet.accounts import throttle
from volnet.accounts.models import SignInEvent
from volnet.audit.actions import LABELS as AUDIT_LABELS
from volnet.audit.log import record as audit
from volnet.audit.models import AuditEntry
from volnet.documents import services as documents
from volnet.eligibility.models import CertificateRequest, CertificateReview
from volnet.honorcard.models import AwardApplication, CardCheck, CardEvent, HonorCard, HonorCardApplication
from volnet.lib import masking, spreadsheets
from volnet.notifications.models import MailOptOut, Notification
from volnet.records.models import (
    Award,
    CorrectionRequest,
    InsurancePolicy,
    OtherItem,
    PerformanceCertificate,
    RecordBook,
    RecordBookApplication,
    ServiceRecord,
    TrainingRecord,
)
from volnet.recruitment.models import Application as RecruitmentApplication
from volnet.units.models import Membership, StaffRole

FORMAT = "volnet-my-data"
VERSION = 1
CHUNK = 1000
JSON_NAME = "my-data.json"
XLSX_NAME = "my-data.xlsx"
README_NAME = "說明.txt"


@dataclasses.dataclass(frozen=True)
class Field:
    key: str
    heading: str
    get: Any  # row → the JSON value
    show: Any = None  # row → the value a reader sees (default: the JSON value)
    width: int = 14


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str  # the sheet's name
    about: str  # one line in 說明.txt
    rows: Any  # person → an iterable of objects
    fields: tuple


# --- field helpers ----------------------------------------------------------------------------------------


def attr(key, heading, name=None, width=14):
    name = name or key
    return Field(key, heading, lambda row: getattr(row, name), width=width)


@functools.cache
def _choice_label(model, name, value, language):
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


def choice(key, heading, name=None, width=12):
    """A choice field: its stored code in the JSON, its label in the sheet (looked up once per value)."""
    name = name or key

    def label(row):
        return _choice_label(row._meta.model, name, getattr(row, name), translation.get_language())
    return Field(key, heading, lambda row: getattr(row, name), label, width=width)


def flag(key, heading, name=None):
    name = name or key
    return Field(key, heading, lambda row: bool(getattr(row, name)), lambda row: "是" if getattr(row, name) else "否",
                 width=8)


def unit(key="unit", heading="單位", name="unit"):
    def label(row):
        value = getattr(row, name)
        return value.label if value is not None else None
    return Field(key, heading, label, width=36)


def person(key, heading, name):
    """Someone else (staff): name and masked ID, never more."""
    def label(row):
        other = getattr(row, name)
        return masking.person_label(other.name, other.national_id) if other is not None else None
    return Field(key, heading, label, width=22)


def entered(heading="登錄人"):
    """Who entered the record and when: the law keeps the recorder (管理辦法 §9)."""
    return (person("registrant", heading, "registrant"), attr("created_at", "建立時間", width=20),
            attr("updated_at", "最後修改時間", width=20))


# --- what is held: one section per kind -------------------------------------------------------------------


def _profile(owner):
    return [owner]


def _chunked(query):
    return query.iterator(chunk_size=CHUNK)


SECTIONS = (
    Section("profile", "個人資料", "帳號與個人資料（含您完整的身分證號碼）", _profile, (
        attr("national_id", "身分證號碼", width=14), attr("name", "姓名"), attr("birth_date", "出生年月日"),
        choice("sex", "性別", width=6), attr("email", "電子信箱", width=28),
        attr("email_verified_at", "信箱驗證時間", width=20),
        attr("phone", "電話"), attr("address", "地址", width=36), attr("emergency_contact", "緊急聯絡人"),
        attr("emergency_phone", "緊急聯絡電話"), Field("photo", "大頭照", lambda u: "photo.jpg" if u.photo else None),
        attr("date_joined", "帳號建立時間", width=20), attr("last_login", "最近登入時間", width=20),
        attr("password_changed_at", "密碼變更時間", width=20), flag("must_change_password", "下次登入須變更密碼"),
        flag("is_active", "帳號啟用"),
    )),
    Section("memberships", "所屬單位", "您加入、離開、被邀請或婉拒的每個運用單位", lambda p: _chunked(
        Membership.objects.filter(volunteer=p).select_related("unit", "requested_by").order_by("joined_on", "id")), (
        attr("id", "編號", width=8), unit(), choice("status", "狀態"), attr("joined_on", "加入日期"),
        attr("left_on", "離隊日期"), attr("trial_until", "見習期至"), attr("volunteer_number", "志工編號"),
        flag("created_account", "由單位建立帳號"), person("requested_by", "邀請人", "requested_by"),
        attr("requested_at", "邀請時間", width=20), attr("answered_at", "您回覆的時間", width=20),
    )),
    Section("staff_roles", "工作人員角色", "您在運用單位或主管機關擔任的工作人員角色", lambda p: _chunked(
        StaffRole.objects.filter(user=p).select_related("unit", "authority", "invited_by").order_by("id")), (
        attr("id", "編號", width=8), choice("role", "角色"), unit(),
        Field("authority", "主管機關", lambda r: r.authority.name if r.authority else None, width=24),
        choice("status", "狀態"), person("invited_by", "邀請人", "invited_by"),
        attr("invited_at", "邀請時間", width=20),
        attr("answered_at", "您回覆的時間", width=20), attr("ended_on", "卸任日期"),
        attr("end_reason", "卸任原因", width=24),
    )),
    Section("services", "服務時數", "每一筆服務時數，含待審核、已退回與未同意單位的登錄", lambda p: _chunked(
        ServiceRecord.objects.filter(volunteer=p).select_related("unit", "registrant")
        .order_by("start_date", "id")), (
        attr("id", "編號", width=8), unit("unit", "服務運用單位"), attr("service_item", "服務項目"),
        attr("content", "服務內容", width=30), attr("start_date", "服務起日"), attr("end_date", "服務迄日"),
        attr("hours", "服務時數", width=8), choice("status", "狀態"), flag("self_reported", "自行填報"),
        attr("misuse_note", "不予採計註記", width=20), attr("decline_reason", "退回原因", width=20),
        choice("consent", "志工同意"), *entered(),
    )),
    Section("trainings", "教育訓練", "每一筆教育訓練", lambda p: _chunked(
        TrainingRecord.objects.filter(volunteer=p).select_related("unit", "registrant").order_by("start_date", "id")),
        (
        attr("id", "編號", width=8), unit("unit", "登錄單位"), choice("kind", "訓練類別"),
        choice("category", "特殊訓練類別"),
        attr("course", "訓練課程", width=24), attr("organiser", "訓練單位", width=20), attr("start_date", "訓練起日"),
        attr("end_date", "訓練迄日"), attr("sessions", "訓練次數", width=8),
        attr("minutes", "訓練時數(分鐘)", width=10),
        attr("certificate_number", "結業證書字號"), choice("consent", "志工同意"), *entered(),
    )),
    Section("record_books", "紀錄冊", "您的志願服務紀錄冊（有效與已註銷）", lambda p: _chunked(
        RecordBook.objects.filter(volunteer=p).select_related("authority", "applied_by").order_by("issued_on", "id")),
        (
        attr("id", "編號", width=8), attr("number", "紀錄冊號"),
        Field("authority", "發給單位", lambda b: b.authority.name,
                                                                 width=24),
        attr("issued_on", "發冊日期"), choice("status", "狀態"), choice("category", "類別"),
        unit("applied_by", "申請單位", "applied_by"), attr("cancelled_on", "註銷日期"),
        attr("created_at", "建立時間", width=20),
    )),
    Section("record_book_applications", "紀錄冊申請", "運用單位為您提出的紀錄冊申請", lambda p: _chunked(
        RecordBookApplication.objects.filter(volunteer=p).select_related("unit", "applied_by", "decided_by")
        .order_by("applied_at", "id")), (
        attr("id", "編號", width=8), unit("unit", "申請單位"), choice("kind", "申請類別"), choice("category", "類別"),
        choice("status", "狀態"), person("applied_by", "申請人", "applied_by"),
        attr("applied_at", "申請時間", width=20),
        person("decided_by", "審核人", "decided_by"), attr("decided_at", "審核時間", width=20),
        attr("decision_note", "審核說明", width=20), attr("note", "申請說明", width=20),
    )),
    Section("insurance", "志工保險", "為您投保的志工保險", lambda p: _chunked(
        InsurancePolicy.objects.filter(coverages__volunteer=p).select_related("unit", "registrant")
        .order_by("start_date", "id")), (
        attr("id", "編號", width=8), unit("unit", "投保單位"), attr("insurer", "保險公司", width=20),
        attr("policy_number", "保單號碼"), attr("start_date", "保險起日"), attr("end_date", "保險迄日"),
        attr("accident_sum", "意外險保額(元)"), attr("medical_sum", "醫療險保額(元)"), attr("note", "備註", width=20),
        person("registrant", "登錄人", "registrant"), attr("created_at", "建立時間", width=20),
    )),
    Section("other_items", "其他登錄事項", "其他登錄事項", lambda p: _chunked(
        OtherItem.objects.filter(volunteer=p).select_related("unit", "registrant").order_by("start_date", "id")), (
        attr("id", "編號", width=8), unit("unit", "登錄單位"), attr("title", "事項", width=20),
        attr("content", "內容", width=30), attr("start_date", "日期"), attr("end_date", "迄日"), *entered(),
    )),
    Section("awards", "獎勵紀錄", "獎勵紀錄（衛生福利獎勵、志願服務獎勵、其他獎項表揚）", lambda p: _chunked(
        Award.objects.filter(volunteer=p).select_related("unit", "registrant").order_by("awarded_on", "id")), (
        attr("id", "編號", width=8), unit("unit", "登錄單位"), choice("kind", "獎勵類別"),
        attr("name", "獎項名稱", width=24),
        attr("level", "等級"), attr("awarded_on", "頒發日期"), attr("granted_by", "頒發機關", width=20),
        attr("certificate_number", "證書字號"), *entered(),
    )),
    Section("certificates", "績效證明書", "運用單位開立給您的志願服務績效證明書", lambda p: _chunked(
        PerformanceCertificate.objects.filter(volunteer=p).select_related("unit", "issued_by")
        .order_by("issued_on", "id")), (
        attr("id", "編號", width=8), attr("number", "證明書字號", width=18), unit("unit", "開立單位"),
        attr("issued_on", "開立日期"), attr("hours", "服務時數", width=8), attr("months", "服務年資（月）", width=8),
        attr("period_start", "採計起日"), attr("period_end", "採計迄日"),
        person("issued_by", "開立人員", "issued_by"),
        choice("status", "狀態"), attr("cancelled_on", "註銷日期"), attr("cancel_reason", "註銷原因", width=20),
    )),
    Section("certificate_requests", "績效證明書申請", "您向運用單位申請績效證明書的紀錄", lambda p: _chunked(
        CertificateRequest.objects.filter(volunteer=p).select_related("unit", "filed_by", "certificate")
        .order_by("submitted_at", "id")), (
        attr("id", "編號", width=8), unit("unit", "運用單位"), choice("purpose", "用途"),
        attr("purpose_note", "用途說明", width=20), attr("period_start", "採計起日"), attr("period_end", "採計迄日"),
        attr("hours", "服務時數", width=8), attr("months", "服務年資（月）", width=8), attr("counted_on", "資格計算日"),
        attr("submitted_at", "申請時間", width=20), attr("due_on", "辦理期限"), choice("status", "狀態"),
        person("filed_by", "申請人", "filed_by"), attr("closed_at", "結案時間", width=20),
        attr("return_reason", "退回原因", width=20),
        Field("certificate", "績效證明書", lambda r: r.certificate.number if r.certificate else None, width=18),
    )),
    Section("certificate_reviews", "績效證明書審核", "您的績效證明書申請經過的每一關", lambda p: _chunked(
        CertificateReview.objects.filter(request__volunteer=p).select_related("reviewer").order_by("at", "id")), (
        attr("id", "編號", width=8), attr("request_id", "申請編號", width=8), choice("step", "關卡"),
        choice("decision", "決定"), person("reviewer", "審核人", "reviewer"), attr("note", "意見", width=24),
        attr("at", "時間", width=20),
    )),
    Section("honor_cards", "榮譽卡", "志願服務榮譽卡", lambda p: _chunked(
        HonorCard.objects.filter(volunteer=p).select_related("authority").order_by("valid_from", "id")), (
        attr("id", "編號", width=8), attr("number", "卡號"),
        Field("authority", "發卡機關", lambda c: c.authority.name,
                                                               width=24),
        choice("kind", "發卡類別"), attr("valid_from", "有效期間起"), attr("valid_to", "有效期間迄"),
        attr("counted_from", "採計期間起"), attr("counted_to", "採計期間迄"), choice("status", "狀態"),
        attr("issued_at", "核發時間", width=20), attr("ended_at", "停用時間", width=20),
        attr("ended_reason", "停用原因", width=20),
    )),
    Section("honor_card_events", "榮譽卡紀錄", "榮譽卡的每一步（核發、掛失、補發、註銷）", lambda p: _chunked(
        CardEvent.objects.filter(card__volunteer=p).select_related("card", "actor").order_by("at", "id")), (
        attr("id", "編號", width=8), Field("card", "卡號", lambda e: e.card.number), choice("action", "事項"),
        attr("at", "時間", width=20), person("actor", "經辦人", "actor"), attr("reason", "原因", width=24),
    )),
    Section("honor_card_checks", "榮譽卡驗證紀錄", "場館驗證您榮譽卡的時間與結果", lambda p: _chunked(
        CardCheck.objects.filter(card__volunteer=p).select_related("card").order_by("at", "id")), (
        attr("id", "編號", width=8), Field("card", "卡號", lambda c: c.card.number), attr("at", "驗證時間", width=20),
        choice("verdict", "結果"),
    )),
    Section("honor_card_applications", "榮譽卡申請", "運用單位為您提出的榮譽卡申請", lambda p: _chunked(
        HonorCardApplication.objects.filter(volunteer=p).select_related("unit", "authority", "applied_by", "decided_by")
        .order_by("applied_at", "id")), (
        attr("id", "編號", width=8), unit("unit", "申請單位"),
        Field("authority", "審核機關", lambda a: a.authority.name,
                                                                 width=24),
        choice("status", "狀態"), attr("hours", "採計時數", width=8), attr("months", "年資(月)", width=8),
        attr("window_start", "採計期間起"), attr("window_end", "採計期間迄"),
        person("applied_by", "申請人", "applied_by"),
        attr("applied_at", "申請時間", width=20), person("decided_by", "審核人", "decided_by"),
        attr("decided_at", "審核時間", width=20), attr("decision_note", "審核說明", width=20),
    )),
    Section("award_applications", "獎勵申請", "運用單位為您提出的獎勵申請", lambda p: _chunked(
        AwardApplication.objects.filter(volunteer=p).select_related("unit", "authority", "rule", "applied_by",
                                                                    "decided_by").order_by("applied_at", "id")), (
        attr("id", "編號", width=8), unit("unit", "申請單位"), choice("scheme", "獎勵類別"),
        Field("level", "申請等級", lambda a: str(a.rule), width=20), choice("status", "狀態"),
        attr("hours", "採計時數", width=8), person("applied_by", "申請人", "applied_by"),
        attr("applied_at", "申請時間", width=20), person("decided_by", "審核人", "decided_by"),
        attr("decided_at", "審核時間", width=20), attr("decision_note", "審核說明", width=20),
    )),
    Section("recruitment_applications", "應徵紀錄", "您應徵的招募訊息", lambda p: _chunked(
        RecruitmentApplication.objects.filter(volunteer=p).select_related("posting", "posting__unit")
        .order_by("applied_at", "id")), (
        attr("id", "編號", width=8), Field("posting", "招募訊息", lambda a: a.posting.title, width=24),
        Field("unit", "招募單位", lambda a: a.posting.unit.label, width=36), choice("status", "狀態"),
        attr("message", "應徵說明", width=24), attr("applied_at", "應徵時間", width=20),
        attr("decided_at", "審核時間", width=20),
    )),
    Section("documents", "核發文件", "發給您的文件（紀錄冊、績效證明書）的每一次列印與其驗證碼", lambda p: _chunked(
        documents.issued_to(p).order_by("issued_at", "id")), (
        attr("id", "編號", width=8), Field("code", "驗證碼", lambda d: d.display_code, width=26),
        choice("kind", "文件類別"),
        attr("issuer", "發給單位", width=24), attr("issued_at", "核發時間", width=20), attr("issued_on", "列印日期"),
        choice("status", "狀態"), attr("status_at", "狀態變更時間", width=20),
        attr("status_reason", "狀態說明", width=20),
        Field("totals", "合計", lambda d: d.totals, lambda d: "；".join(f"{k}：{v}" for k, v in d.totals), width=30),
        attr("sha256", "檔案指紋（SHA-256）", width=30),
        Field("verify_url", "驗證網址", lambda d: documents.verify_url(d.code), width=40),
    )),
    Section("correction_requests", "更正申請", "您提出的更正申請與單位的回覆", lambda p: _chunked(
        CorrectionRequest.objects.filter(volunteer=p).select_related("unit", "answered_by")
        .order_by("created_at", "id")), (
        attr("id", "編號", width=8), choice("kind", "紀錄類別"), attr("record_id", "紀錄編號", width=8),
        attr("summary", "申請時的紀錄內容", width=30), unit("unit", "受理單位"), attr("wrong", "錯誤之處", width=30),
        attr("should_be", "正確內容", width=30), choice("status", "狀態"), attr("answer", "單位回覆", width=30),
        person("answered_by", "回覆人", "answered_by"), attr("created_at", "申請時間", width=20),
        attr("answered_at", "回覆時間", width=20),
    )),
    Section("mail_settings", "通知信設定", "您關掉的通知信類別", lambda p: _chunked(
        MailOptOut.objects.filter(person=p).order_by("kind")), (
        choice("kind", "不收通知信的類別", width=24),
    )),
    Section("sign_in_events", "登入訊息", "每一次登入、登出、失敗的嘗試與單位對您帳號的操作", lambda p: _chunked(
        SignInEvent.objects.filter(user=p).order_by("at", "id")), (
        attr("id", "編號", width=8), attr("at", "時間", width=20), choice("result", "結果", width=18),
        choice("site", "網站"), attr("ip_address", "來源位址"), attr("user_agent", "裝置", width=30),
        attr("by_name", "操作人"), attr("by_unit", "操作單位", width=30),
    )),
    Section("notifications", "通知", "寄給您的通知", lambda p: _chunked(
        Notification.objects.filter(person=p).order_by("created_at", "id")), (
        attr("id", "編號", width=8), choice("kind", "類別", width=18),
        Field("text", "內容", lambda n: n.text, width=40),
        attr("link", "連結", width=24), attr("created_at", "時間", width=20), attr("read_at", "已讀時間", width=20),
    )),
    Section("audit_entries", "稽核紀錄", "與您有關的稽核紀錄：誰在何時查看或變更了您的資料", lambda p: _chunked(
        AuditEntry.objects.filter(volunteer=p).select_related("actor", "unit").order_by("at", "id")), (
        attr("id", "編號", width=8), attr("at", "時間", width=20), attr("action", "動作代碼", width=24),
        Field("action_label", "動作", lambda e: str(AUDIT_LABELS.get(e.action, e.action)), width=24),
        Field("actor", "操作者", lambda e: _actor(e), width=22), unit("unit", "單位"),
        attr("object_type", "對象類型", width=20), attr("object_id", "對象編號", width=10),
        Field("changes", "變更內容", lambda e: e.changes, lambda e: json.dumps(e.changes, ensure_ascii=False),
        width=40),
        # The address is the actor's: shown when the actor is the person, never another's.
        Field("ip_address", "來源位址", lambda e: e.ip_address if e.actor_id == e.volunteer_id else None),
    )),
)


def _actor(entry):
    if entry.actor is None:
        return None
    if entry.actor_id == entry.volunteer_id:
        return entry.actor.name
    return masking.person_label(entry.actor.name, entry.actor.national_id)


# --- values -----------------------------------------------------------------------------------------------


def json_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def sheet_value(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# --- the zip ----------------------------------------------------------------------------------------------


def keys():
    """What each key of the JSON means: {section: {"title", "about", "fields": {key: heading}}}."""
    return {s.key: {"title": s.title, "about": s.about, "fields": {f.key: f.heading for f in s.fields}}
            for s in SECTIONS}


class _Json:
    """The JSON file, written as the sheets' rows pass by: each row is read from the database once, for both files."""

    def __init__(self, out, owner):
        self.out, self.owner, self.counts = out, owner, {}

    def write(self, text):
        self.out.write(text.encode())

    def start(self):
        header = {"format": FORMAT, "version": VERSION, "generated_at": json_value(timezone.now()),
                  "site": settings.SITE_URL, "person": {"national_id": self.owner.national_id, "name": self.owner.name},
                  "keys": keys()}
        self.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "sections": {')

    def rows(self, number, section):
        """The section's sheet rows; its JSON array is written on the way."""
        self.write(("," if number else "") + f"\n  {json.dumps(section.key)}: [")
        count = 0
        for row in section.rows(self.owner):
            item = {field.key: json_value(field.get(row)) for field in section.fields}
            self.write(("," if count else "") + "\n   " + json.dumps(item, ensure_ascii=False))
            count += 1
            yield [sheet_value((field.show or field.get)(row)) for field in section.fields]
        self.counts[section.key] = count
        self.write("\n  ]")

    def end(self):
        self.write("\n }\n}\n")


def _sheets(writer):
    for number, section in enumerate(SECTIONS):
        columns = [spreadsheets.Column(f.heading, width=f.width, text=f.key in ("national_id", "number", "code"))
                   for f in section.fields]
        yield spreadsheets.Sheet(section.title, writer.rows(number, section), columns)


def readme(owner, counts):
    lines = [
        "志願服務資訊網：我的資料",
        f"姓名：{owner.name}",
        f"產生時間：{timezone.localtime():%Y-%m-%d %H:%M}",
        "",
        f"{XLSX_NAME}：方便閱讀的試算表，每一類資料一張工作表，欄位名稱為中文，日期為民國年。",
        f"{JSON_NAME}：供程式讀取的 JSON（UTF-8），日期為 ISO 8601（西元），時數為數字；"
        "各欄位的意義也寫在檔案的 keys 中。",
        "photo.jpg：您的大頭照（有上傳時）。",
        "",
        "您本人的身分證號碼完整列出；登錄資料的工作人員等其他人，只列姓名與遮蔽後 4 碼的身分證號碼。",
        "密碼只以無法還原的雜湊保存（含最近 3 次的舊密碼，用來避免重複使用），不列入下載。",
        "",
        "各類資料（JSON 的 sections）與欄位：",
    ]
    for section in SECTIONS:
        lines.append("")
        lines.append(f"[{section.key}] {section.title}：{section.about}（{counts.get(section.key, 0)} 筆）")
        lines.extend(f"  {field.key}：{field.heading}" for field in section.fields)
    return "\n".join(lines) + "\n"


def build(owner):
    """The zip of everything held about `owner`, as a rewound temporary file, and {section: rows written}."""
    handle = tempfile.TemporaryFile()
    try:
        with translation.override(settings.LANGUAGE_CODE), \
                zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open(JSON_NAME, "w") as out:
                writer = _Json(out, owner)
                writer.start()
                book = spreadsheets.write_book(list(_sheets(writer)), spreadsheets.XLSX)
                writer.end()
            counts = writer.counts
            with book, archive.open(XLSX_NAME, "w") as out:
                shutil.copyfileobj(book, out)
            if owner.photo:
                try:
                    with owner.photo.open("rb") as photo, archive.open("photo.jpg", "w") as out:
                        shutil.copyfileobj(photo, out)
                except FileNotFoundError:
                    pass
            archive.writestr(README_NAME, readme(owner, counts))
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, counts


# --- the download: throttled, audited -------------------------------------------------------------------

THROTTLE = "my_data"  # settings.VOLNET_RATE_MY_DATA


def _key(request):
    return f"user:{request.user.pk}"


def throttled(request):
    """accounts.throttle's verdict on the signed-in person's downloads (counted per person, not per address)."""
    return throttle.check(request, THROTTLE, _key(request))


def download(owner, request=None):
    """The zip of everything held about `owner`, counted toward the allowance and audited with how many rows of
    each kind it holds. Returns a rewound temporary file."""
    handle, counts = build(owner)
    if request is not None:
        throttle.hit(request, THROTTLE, _key(request))
    audit("portal.my_data.downloaded", actor=owner, volunteer=owner, changes={"rows": counts}, request=request)
    return handle
