"""The volunteers import (people.imports): a new person gets an account and a membership as 新增志工 makes them;
an ID number that has an account gets the join request 加入本單位 sends, never a membership, and its account is
never changed (a volunteer of another unit, a staff member alike); every bad row is listed, nothing written."""

import datetime as dt

import pytest

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.lib import spreadsheets
from volnet.notifications.models import Notification
from volnet.people.imports import COLUMNS, VOLUNTEERS
from volnet.records import exports, imports
from volnet.records.tests.excel_files import saved_by_libreoffice, xlsx
from volnet.statistics import queries as statistics
from volnet.units.models import Membership, StaffRole

TODAY = dt.date(2025, 6, 30)
HEADER = [column.title for column in COLUMNS]
NEW_ID = "A123456789"


def person_row(national_id=NEW_ID, name="王小明", sex="男", birth="070/05/20", phone="0912-345-678",
               email="ming@example.tw", address="臺中市西屯區臺灣大道三段99號", number="V-001", joined="114/03/01",
               trial=""):
    return [national_id, name, sex, birth, phone, email, address, number, joined, trial]


def run(rows, unit, registrant, **options):
    data = xlsx(rows, HEADER, title="志工資料")
    return imports.import_file(data, unit=unit, registrant=registrant, kind=VOLUNTEERS, today=TODAY,
                               file_name="志工.xlsx", **options)


def errors(outcome):
    return {row.line: " ".join(row.errors) for row in outcome.check.rows if row.errors}


def snapshot(person):
    person.refresh_from_db()
    return (person.name, person.sex, person.birth_date, person.email, person.phone, person.address,
            person.password, person.last_login)


def test_a_new_person_gets_an_account_and_a_membership_as_new_volunteer_makes_them(unit_a, supervisor_a):
    outcome = run([person_row(trial="114/05/31")], unit_a, supervisor_a)
    assert outcome.created == 1 and outcome.check.summary == {"accounts": 1, "requests": 0}
    membership = Membership.objects.get(unit=unit_a, volunteer__national_id=NEW_ID)
    person = membership.volunteer
    assert (person.name, person.sex, person.birth_date, person.email, person.phone, person.address) == (
        "王小明", "M", dt.date(1981, 5, 20), "ming@example.tw", "0912-345-678", "臺中市西屯區臺灣大道三段99號")
    assert (membership.status, membership.created_account, membership.joined_on, membership.trial_until,
            membership.volunteer_number, membership.requested_by) == (
        Membership.Status.ACTIVE, True, dt.date(2025, 3, 1), dt.date(2025, 5, 31), "V-001", supervisor_a)
    assert not person.has_usable_password()  # the unit sets a temporary one or mails a link afterwards
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"backoffice.volunteer.created", "backoffice.membership.created", "records.import.committed"} <= actions
    summary = AuditEntry.objects.get(action="records.import.committed").changes
    assert (summary["kind"], summary["count"], summary["accounts"], summary["requests"]) == (VOLUNTEERS, 1, 1, 0)
    # The unit's statistics count the newcomer (the summary tables follow the import).
    assert statistics.volunteers(statistics.Area(unit=unit_a)) == {"all": 1, "active": 1, "trained": 0}


def test_an_existing_account_gets_a_join_request_never_a_membership_and_keeps_its_data(
        unit_a, supervisor_a, other_volunteer):
    """Someone serving in another unit: the row is the join request; the person answers in 我的檔案."""
    before = snapshot(other_volunteer)
    outcome = run([person_row("F135792464", name="改名字", sex="女", birth="080/01/01", email="new@example.net",
                              phone="0900-000-000", trial="114/12/31")], unit_a, supervisor_a)
    row = outcome.check.rows[0]
    assert row.status == imports.WARNING and "已有帳號" in row.warnings[0] and "不會寫入這個帳號" in row.warnings[0]
    assert "見習期要等志工同意加入後" in row.warnings[1]
    assert outcome.created == 1 and outcome.check.summary == {"accounts": 0, "requests": 1}
    asked = Membership.objects.get(unit=unit_a, volunteer=other_volunteer)
    assert (asked.status, asked.created_account, asked.requested_by, asked.trial_until) == (
        Membership.Status.PENDING, False, supervisor_a, None)
    assert snapshot(other_volunteer) == before
    assert Membership.objects.get(unit__code="1-187", volunteer=other_volunteer).status == Membership.Status.ACTIVE
    assert Notification.objects.filter(person=other_volunteer, kind="join_request").count() == 1
    assert AuditEntry.objects.filter(action="backoffice.membership.requested", volunteer=other_volunteer).exists()
    assert statistics.volunteers(statistics.Area(unit=unit_a)) == {"all": 0, "active": 0, "trained": 0}


def test_a_staff_members_account_is_only_asked_and_never_changed(unit_a, supervisor_a, supervisor_b):
    before = snapshot(supervisor_b)
    roles = list(StaffRole.objects.filter(user=supervisor_b).values_list("unit_id", "role", "status"))
    outcome = run([person_row(supervisor_b.national_id, email="takeover@example.net")], unit_a, supervisor_a)
    assert outcome.created == 1
    assert snapshot(supervisor_b) == before
    assert list(StaffRole.objects.filter(user=supervisor_b).values_list("unit_id", "role", "status")) == roles
    assert Membership.objects.get(unit=unit_a, volunteer=supervisor_b).status == Membership.Status.PENDING


def test_members_and_people_asked_already_are_error_rows_so_a_file_twice_adds_nothing(
        unit_a, supervisor_a, volunteer, other_volunteer):
    rows = [person_row(), person_row("F135792464", "陳大同")]
    assert run(rows, unit_a, supervisor_a).created == 2
    memberships, entries = Membership.objects.count(), AuditEntry.objects.count()
    again = run([*rows, person_row(volunteer.national_id, "測試熊")], unit_a, supervisor_a)
    assert again.created == 0
    found = errors(again)
    assert "已是本單位的志工（可能重複匯入）" in found[2]  # created by the first import
    assert "正等待回覆（可能重複匯入）" in found[3]
    assert "已是本單位的志工" in found[4]  # served there before any import
    assert (Membership.objects.count(), AuditEntry.objects.count()) == (memberships, entries)


def test_a_person_who_declined_recently_is_not_asked_again(unit_a, supervisor_a, other_volunteer):
    from django.utils import timezone

    Membership.objects.create(volunteer=other_volunteer, unit=unit_a, status=Membership.Status.DECLINED,
                              answered_at=timezone.now())
    assert "婉拒" in errors(run([person_row("F135792464")], unit_a, supervisor_a))[2]


def test_duplicate_rows_within_the_file_are_error_rows(unit_a, supervisor_a):
    outcome = run([person_row(), person_row(name="王小明二")], unit_a, supervisor_a)
    assert "與第 2 列是同一個身分證號碼" in errors(outcome)[3]
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("changes", "expected"), [
    ({"birth": "200/01/01"}, "出生年月日不可晚於今天"),
    ({"birth": "1981/05/20"}, "西元年"),
    ({"birth": ""}, "新志工必填"),
    ({"name": ""}, "姓名：新志工必填"),
    ({"joined": "115/01/01"}, "加入日期不可晚於今天"),
    ({"joined": "114/02/30"}, "加入日期(民國)"),
    ({"trial": "114/03/01"}, "見習期的結束日必須晚於加入日期 114/03/01"),
    ({"sex": "M"}, "請填男、女或其他"),
    ({"email": "not-an-address"}, "不是有效的電子信箱"),
    ({"phone": "打電話給我"}, "請填寫數字"),
    ({"national_id": "A123456788"}, "身分證號碼"),
])
def test_bad_cells_are_error_rows_and_nothing_is_written(unit_a, supervisor_a, changes, expected):
    outcome = run([person_row("B120000008", "另一位"), person_row(**changes)], unit_a, supervisor_a)
    found = errors(outcome)
    assert list(found) == [3] and expected in found[3]
    assert outcome.created == 0 and not Membership.objects.exists()


def test_a_row_the_database_refuses_at_the_last_moment_leaves_nothing_written(unit_a, supervisor_a, monkeypatch):
    from volnet.people import services

    def refuse(**kwargs):
        raise services.PeopleError("exists", "這個身分證號碼已有帳號，請改為送出加入邀請。")

    monkeypatch.setattr(services, "create_account", refuse)
    outcome = run([person_row()], unit_a, supervisor_a)
    assert outcome.created == 0 and "已有帳號" in errors(outcome)[2]
    assert not AuditEntry.objects.filter(action="records.import.committed").exists()


def test_passports_are_accepted_as_the_project_accepts_them(unit_a, supervisor_a):
    run([person_row("jpn tr1234567", "山田太郎")], unit_a, supervisor_a)
    assert Membership.objects.get(unit=unit_a).volunteer.national_id == "JPNTR1234567"


def test_an_hours_file_chosen_as_volunteers_is_named_for_what_it_is():
    from volnet.records.tests.excel_files import service_row

    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(xlsx([service_row()]), VOLUNTEERS)
    assert caught.value.code == "wrong_kind" and "服務時數" in caught.value.message


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_the_template_and_its_example_import_cleanly(unit_a, supervisor_a, file_format):
    assert imports.inspect_file(exports.build_template(VOLUNTEERS, file_format)) == []
    columns = [spreadsheets.Column(column.title, text=True) for column in COLUMNS]
    filled = spreadsheets.write_table([[column.example for column in COLUMNS]], columns, file_format)
    assert imports.import_file(filled, unit=unit_a, registrant=supervisor_a, kind=VOLUNTEERS).created == 1


def test_a_file_saved_by_libreoffice_imports_like_the_one_saved_by_excel(unit_a, supervisor_a):
    make_person("C120000009", "已有帳號")
    rows = [person_row(), person_row("C120000009", "已有帳號", birth=dt.date(1990, 1, 2))]
    saved_by_excel = xlsx(rows, HEADER, title="志工資料")
    ods = saved_by_libreoffice(saved_by_excel, VOLUNTEERS, TODAY)
    outcome = imports.import_file(ods, unit=unit_a, registrant=supervisor_a, kind=VOLUNTEERS)
    assert outcome.check.summary == {"accounts": 1, "requests": 1}
