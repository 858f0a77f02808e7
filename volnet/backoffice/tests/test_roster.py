"""志工名冊: the 管理辦法's fields as .xlsx and .ods, masked IDs unless asked (and audited), only people who
accepted the unit, never another unit's volunteers."""

import datetime as dt
import io
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import _staff, make_person
from volnet.audit.models import AuditEntry
from volnet.records.tests.excel_files import valid_id
from volnet.units.models import Membership

HEADER = ["志工編號", "姓名", "性別", "出生年月日(民國)", "身分證統一編號或護照號碼", "加入日期(民國)",
          "見習期至(民國)", "狀態", "離隊日期(民國)"]


@pytest.fixture
def members(unit_a, volunteer, other_volunteer):
    Membership.objects.filter(volunteer=volunteer).update(volunteer_number="A001", trial_until=dt.date(2021, 8, 1))
    left = make_person("A298765437", "林美玲", birth_date=dt.date(1983, 11, 30), sex="F")
    Membership.objects.create(volunteer=left, unit=unit_a, joined_on=dt.date(2020, 1, 2), status="ended",
                              left_on=dt.date(2024, 6, 30), volunteer_number="A000")
    asked = make_person(valid_id("H", "22345678"), "王小明")
    Membership.objects.create(volunteer=asked, unit=unit_a, status="pending")
    return volunteer


def download(client, unit, **fields):
    """Ask for the roster; the worker makes it (eagerly here), and its page offers the file at once."""
    asked = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit.pk, "format": "xlsx", **fields})
    assert asked.status_code == 302 and "/files/" in asked["Location"], asked.content[:300]
    page = client.get(asked["Location"])
    assert page.status_code == 200 and "檔案已完成" in page.content.decode()
    response = client.get(asked["Location"] + "download/")
    assert response.status_code == 200, response.content[:300]
    return response


def xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_roster_lists_the_units_serving_volunteers_with_the_fields_of_the_rules(
        staff_client, supervisor_a, unit_a, members):
    response = download(staff_client(supervisor_a), unit_a)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "2-299" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    # the one serving volunteer; not the one who left, not the one asked who has not answered, not unit B's
    assert rows[1:] == [["A001", "測試熊", "男", "070/05/20", "E12233****", "110/05/01", "110/08/01", "服務中", None]]
    entry = AuditEntry.objects.get(action="people.roster.downloaded")
    assert entry.actor == supervisor_a and entry.unit == unit_a
    assert entry.changes == {"format": "xlsx", "count": 1, "full_id": False, "include_ended": False}


def test_the_ods_roster_holds_the_same_and_those_who_left_when_asked(staff_client, supervisor_a, unit_a, members):
    response = download(staff_client(supervisor_a), unit_a, format="ods", include_ended="on")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_name(
        "志工名冊").to_python()
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == ["測試熊", "林美玲"]
    assert rows[2] == ["A000", "林美玲", "女", "072/11/30", "A29876****", "109/01/02", "", "已離隊", "113/06/30"]


def test_the_full_id_is_written_only_when_asked_and_the_log_says_so(staff_client, supervisor_a, unit_a, members):
    rows = xlsx_rows(download(staff_client(supervisor_a), unit_a, full_id="on"))
    assert rows[1][4] == "E122333441"
    assert AuditEntry.objects.get(action="people.roster.downloaded").changes["full_id"] is True


def test_another_units_staff_never_get_this_units_roster(staff_client, supervisor_b, unit_a, unit_b, members):
    client = staff_client(supervisor_b)
    response = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xlsx"})
    assert response.status_code == 404
    assert [row[1] for row in xlsx_rows(download(client, unit_b))[1:]] == ["陳大同"]
    assert not AuditEntry.objects.filter(action="people.roster.downloaded", unit=unit_a).exists()


def test_the_page_offers_both_formats_and_a_bad_choice_is_a_message(staff_client, supervisor_a, unit_a, members):
    client = staff_client(supervisor_a)
    page = client.get(reverse("backoffice:volunteer_roster")).content.decode()
    assert "Excel（.xlsx）" in page and "ODF 試算表（.ods）" in page and "目前有 1 位服務中的志工" in page
    assert reverse("backoffice:volunteer_roster") in client.get(reverse("backoffice:volunteers")).content.decode()
    response = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xls"})
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert not AuditEntry.objects.filter(action="people.roster.downloaded").exists()


def test_volunteers_cannot_download_a_roster(client, volunteer, unit_a):
    client.force_login(volunteer)
    assert client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xlsx"}).status_code == 403


def test_the_roster_made_by_the_worker_is_for_the_person_who_asked_only(staff_client, supervisor_a, unit_a, members):
    """Attack: another supervisor of the same unit, holding the link, gets a 404 for the page and the file."""
    asked = staff_client(supervisor_a).post(reverse("backoffice:volunteer_roster"),
                                            {"unit": unit_a.pk, "format": "xlsx"})
    other = staff_client(_staff(valid_id("K", "12345678"), "同事", "supervisor", unit=unit_a))
    assert other.get(asked["Location"]).status_code == 404
    assert other.get(asked["Location"] + "download/").status_code == 404
    assert other.get(reverse("backoffice:file_job", args=["x" * 32])).status_code == 404


def test_a_roster_the_worker_fails_to_make_is_a_clear_message_not_a_500(staff_client, supervisor_a, unit_a, members):
    client = staff_client(supervisor_a)
    with mock.patch("volnet.people.roster.download", side_effect=RuntimeError("disk full")):
        asked = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xlsx"})
    page = client.get(asked["Location"])
    assert page.status_code == 200 and "製作檔案時發生錯誤，沒有產生檔案" in page.content.decode()
    assert client.get(asked["Location"] + "?format=json").json()["state"] == "failed"  # progress.js stops and reloads
    assert client.get(asked["Location"] + "download/").status_code == 404
