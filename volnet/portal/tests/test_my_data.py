"""下載我的資料 (issue 16 item 5, 個資法 §3): everything held about the signed-in person in one zip (JSON and xlsx),
behind the password, throttled and audited; anyone else named in it masked."""

import datetime as dt
import io
import json
import re
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import PASSWORD
from volnet.accounts.models import SignInEvent, User
from volnet.audit.models import AuditEntry
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.documents import services as documents
from volnet.portal import mydata
from volnet.portal.tests.html import text
from volnet.records.models import ServiceRecord

pytestmark = pytest.mark.django_db
URL = "/me/my-data/"
FULL_ID = re.compile(r"[A-Z][0-9A-D]\d{8}")


def download(client, password=BEAR_PASSWORD):
    return client.post(URL, {"password": password})


def unzip(response):
    assert response.status_code == 200, text(response.content)[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read(mydata.JSON_NAME))
    book = load_workbook(io.BytesIO(archive.read(mydata.XLSX_NAME)), read_only=True)
    return archive, data, book


def sheet_rows(book, title):
    rows = list(book[title].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_zip_holds_every_record_with_who_entered_it_in_json_and_xlsx(bear_client, bear):
    archive, data, book = unzip(download(bear_client))
    assert set(archive.namelist()) >= {mydata.JSON_NAME, mydata.XLSX_NAME, mydata.README_NAME, "photo.jpg"}
    sections = data["sections"]
    assert sections["profile"][0]["national_id"] == "E122333441"  # one's own number in full
    services = ServiceRecord.objects.filter(volunteer=bear)
    assert sorted(row["id"] for row in sections["services"]) == sorted(services.values_list("pk", flat=True))
    entered = services.exclude(registrant=None).select_related("registrant").first()
    row = next(row for row in sections["services"] if row["id"] == entered.pk)
    assert row["registrant"] == f"{entered.registrant.name}（{entered.registrant.national_id[:6]}****）"
    assert row["created_at"].startswith(str(entered.created_at.astimezone().year))
    assert row["hours"] == float(entered.hours) and row["start_date"] == entered.start_date.isoformat()
    # the sheet says the same, in Chinese, dates in ROC form
    heading, rows = sheet_rows(book, "服務時數")
    assert heading[:4] == ("編號", "服務運用單位", "服務項目", "服務內容")
    assert len(rows) == services.count()
    sheet_row = next(r for r in rows if r[0] == entered.pk)
    assert sheet_row[heading.index("登錄人")] == row["registrant"]
    assert sheet_row[heading.index("服務起日")] == f"{entered.start_date.year - 1911}/{entered.start_date:%m/%d}"
    assert sheet_row[heading.index("狀態")] == "已核定"
    # every kind has its sheet and its documented keys
    assert [sheet for sheet in book.sheetnames] == [section.title for section in mydata.SECTIONS]
    for section in mydata.SECTIONS:
        assert list(data["keys"][section.key]["fields"]) == [field.key for field in section.fields]
        assert len(sheet_rows(book, section.title)[1]) == len(sections[section.key])
    readme = archive.read(mydata.README_NAME).decode()
    assert "[services] 服務時數" in readme and "registrant：登錄人" in readme


def test_nobody_elses_full_id_number_is_in_the_zip(bear_client, bear):
    archive, _data, _book = unzip(download(bear_client))
    others = set(User.objects.exclude(pk=bear.pk).values_list("national_id", flat=True))
    for name in (mydata.JSON_NAME, mydata.README_NAME):
        found = set(FULL_ID.findall(archive.read(name).decode()))
        assert found <= {"E122333441"}, found & others
    with zipfile.ZipFile(io.BytesIO(archive.read(mydata.XLSX_NAME))) as sheet_file:
        strings = sheet_file.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in \
            sheet_file.namelist() else "".join(sheet_file.read(n).decode() for n in sheet_file.namelist()
                                               if n.startswith("xl/worksheets/"))
    assert set(FULL_ID.findall(strings)) <= {"E122333441"}


def test_the_download_is_audited_with_what_it_held(bear_client, bear):
    _archive, data, _book = unzip(download(bear_client))
    entry = AuditEntry.objects.get(action="portal.my_data.downloaded")
    assert entry.actor == bear and entry.volunteer == bear
    assert entry.changes["rows"]["services"] == len(data["sections"]["services"])
    # the next download holds the entry about the previous one
    _archive, data, _book = unzip(download(bear_client))
    assert any(row["action"] == "portal.my_data.downloaded" and row["action_label"] == "志工下載個人資料"
               for row in data["sections"]["audit_entries"])


def test_a_wrong_password_downloads_nothing_and_counts_toward_the_lock(bear_client, bear):
    response = download(bear_client, "Not-My-Password-1")
    assert response.status_code == 400
    assert "目前的密碼不正確" in text(response.content)
    assert response["Content-Type"].startswith("text/html")
    bear.refresh_from_db()
    assert bear.failed_logins == 1
    assert SignInEvent.objects.filter(user=bear, result="reauth_failed").exists()
    assert not AuditEntry.objects.filter(action="portal.my_data.downloaded").exists()


def test_an_empty_password_is_a_form_error(bear_client):
    response = bear_client.post(URL, {"password": ""})
    assert response.status_code == 400 and "請輸入目前的密碼" in text(response.content)


def test_three_downloads_an_hour_then_a_clear_message(bear_client, clock):
    page = text(bear_client.get(URL).content)
    assert "每 60 分鐘最多下載 3 次" in page
    for _ in range(3):
        assert download(bear_client).status_code == 200
    refused = download(bear_client)
    assert refused.status_code == 429
    assert "下載次數已達上限（每 60 分鐘 3 次）" in text(refused.content)
    assert AuditEntry.objects.filter(action="portal.my_data.downloaded").count() == 3


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.post(URL, {"password": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_long_history_is_written_row_by_row(volunteer, unit_a, supervisor_a):
    """3,000 service records: every one in both files, while Python's peak memory stays small (the rows are
    read in chunks and written as they come)."""
    day = dt.date(2015, 1, 1)
    ServiceRecord.objects.bulk_create(
        ServiceRecord(volunteer=volunteer, unit=unit_a, registrant=supervisor_a, service_item="綜合服務",
                      content=f"第 {n} 次", start_date=day + dt.timedelta(days=n), end_date=day + dt.timedelta(days=n),
                      hours=Decimal("2.5")) for n in range(3000))
    tracemalloc.start()
    handle, counts = mydata.build(volunteer)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with handle, zipfile.ZipFile(handle) as archive:
        data = json.loads(archive.read(mydata.JSON_NAME))
        book = load_workbook(io.BytesIO(archive.read(mydata.XLSX_NAME)), read_only=True)
        assert counts["services"] == len(data["sections"]["services"]) == 3000
        assert sum(1 for _row in book["服務時數"].iter_rows(values_only=True)) == 3001
    assert peak < 40 * 1024 * 1024, peak


def test_the_documents_issued_are_listed_with_their_state_and_verify_link(volunteer_client, volunteer, other_volunteer):
    first = documents.record("record_book", volunteer, code=documents.new_code(), data=b"%PDF one",
                             issuer="臺中市政府社會局", issued_on=dt.date(2026, 12, 1))
    second = documents.record("record_book", volunteer, code=documents.new_code(), data=b"%PDF two",
                              issuer="臺中市政府社會局", issued_on=dt.date(2026, 12, 2))
    theirs = documents.record("record_book", other_volunteer, code=documents.new_code(), data=b"%PDF x",
                              issuer="臺中市政府社會局", issued_on=dt.date(2026, 12, 2))
    response = volunteer_client.get("/me/documents/")
    page = text(response.content)
    assert first.display_code in page and second.display_code in page and theirs.display_code not in page
    assert "已由較新的列印取代" in page and "有效" in page
    assert f'href="/verify/{second.display_code}/"' in response.content.decode()
    assert volunteer_client.get(f"/verify/{first.display_code}/").status_code == 200


def test_my_data_page_says_what_is_in_it(volunteer_client):
    page = text(volunteer_client.get(URL).content)
    assert "服務時數" in page and "登入訊息" in page and "稽核紀錄" in page and "目前的密碼" in page


def test_an_other_volunteers_data_never_enters_a_download(volunteer_client, volunteer, other_volunteer, service_record,
                                                          unit_b, supervisor_b):
    service_record(volunteer=other_volunteer, unit=unit_b, registrant=supervisor_b, content="別人的服務")
    mine = service_record(content="我的服務")
    _archive, data, _book = unzip(download(volunteer_client, PASSWORD))
    assert [row["content"] for row in data["sections"]["services"]] == [mine.content]
    assert "陳大同" not in json.dumps(data, ensure_ascii=False)
