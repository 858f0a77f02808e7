"""The Excel page: template download, upload → preview → confirm (all or nothing), bad files, export, tenancy."""

import csv
import datetime as dt
import fcntl
import io
import json
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from volnet.audit.models import AuditEntry
from volnet.records import staging
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.tests import hostile_files as hostile
from volnet.records.tests.excel_files import TRAINING_HEADER, service_row, training_row, xlsx
from volnet.tests import office

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    return settings.VOLNET_IMPORT_DIR


@pytest.fixture
def staff(client, supervisor_a):
    client.force_login(supervisor_a)
    return client


def upload(client, unit, data, kind="service", name="三月時數.xlsx", **extra):
    return client.post(
        reverse("backoffice:excel_upload"),
        {"unit": unit.pk, "kind": kind, "file": SimpleUploadedFile(name, data, content_type=XLSX), **extra},
    )


def token_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"].rstrip("/").split("/")[-1]


def stored(import_dir):
    return sorted(path.name for path in import_dir.iterdir()) if import_dir.exists() else []


# The page


def test_the_page_offers_templates_upload_and_export(staff, unit_a):
    response = staff.get(reverse("backoffice:excel"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("下載服務時數範本", "下載教育訓練範本", "上傳並檢查", "匯出本單位的資料", "匯出完整身分證號碼",
                 unit_a.label):
        assert text in page


def test_volunteers_are_refused_and_strangers_sent_to_the_staff_sign_in(client, volunteer):
    url = reverse("backoffice:excel")
    assert client.get(url).status_code == 302
    assert reverse("accounts:staff_login") in client.get(url)["Location"]
    client.force_login(volunteer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("kind, sheet", [("service", "服務時數"), ("training", "教育訓練"), ("insurance", "志工保險")])
def test_the_templates_download_as_xlsx(staff, unit_a, kind, sheet):
    response = staff.get(reverse("backoffice:excel_template", args=[kind]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [sheet, "填寫說明"]


@pytest.mark.parametrize("kind, sheet", [("service", "服務時數"), ("training", "教育訓練"), ("insurance", "志工保險")])
def test_the_templates_download_as_ods_beside_xlsx(staff, unit_a, kind, sheet):
    response = staff.get(reverse("backoffice:excel_template_as", args=[kind, "ods"]))
    assert response.status_code == 200 and response["Content-Type"] == ODS
    assert ".ods" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == [sheet, "填寫說明"]
    assert book.get_sheet_by_name(sheet).to_python()[0][:2] == ["身分證號碼", "姓名"]
    assert reverse("backoffice:excel_template_as", args=[kind, "ods"]) in staff.get(
        reverse("backoffice:excel")).content.decode()


def test_an_unknown_template_is_a_404(staff, unit_a):
    assert staff.get("/backoffice/excel/template/awards.xlsx").status_code == 404
    assert staff.get("/backoffice/excel/template/service.xls").status_code == 404


# Upload, preview, confirm


def test_a_clean_file_is_previewed_then_imported_whole_on_confirm(staff, unit_a, volunteer, supervisor_a, import_dir):
    token = token_of(upload(staff, unit_a, xlsx([service_row(), service_row(start="114/03/02", end="")])))
    assert ServiceRecord.objects.count() == 0  # nothing before confirming
    preview = staff.get(reverse("backoffice:excel_preview", args=[token]))
    page = preview.content.decode()
    assert "全部 2 列都可以匯入" in page and "確認匯入 2 筆" in page
    assert "E12233****" in page and "E122333441" not in page

    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "已匯入 2 筆服務時數（檔案：三月時數.xlsx）" in response.content.decode()
    assert ServiceRecord.objects.filter(registrant=supervisor_a, unit=unit_a).count() == 2
    entry = AuditEntry.objects.get(action="records.import.committed")
    assert entry.changes["count"] == 2 and entry.changes["file_name"] == "三月時數.xlsx"
    assert entry.ip_address == "127.0.0.1"
    assert stored(import_dir) == []  # the uploaded file is not kept after the import
    assert "三月時數.xlsx" in staff.get(reverse("backoffice:excel")).content.decode()  # 最近的匯入


def test_insurance_is_previewed_then_imported_through_the_same_page(staff, unit_a, volunteer, other_volunteer,
                                                                   import_dir):
    from volnet.records.models import InsurancePolicy
    from volnet.records.tests.test_import_insurance import HEADER, policy_row

    rows = [policy_row(), policy_row("F135792464", "陳大同")]
    token = token_of(upload(staff, unit_a, xlsx(rows, HEADER, title="志工保險"), kind="insurance", name="保險.xlsx"))
    page = staff.get(reverse("backoffice:excel_preview", args=[token])).content.decode()
    assert "匯入預覽：志工保險" in page and "錯誤 <strong>1</strong> 列" in page
    assert "不是本單位服務中的志工" in page and "F13579****" in page and "F135792464" not in page
    token = token_of(upload(staff, unit_a, xlsx(rows[:1], HEADER, title="志工保險"), kind="insurance",
                            replaces=token))
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "已匯入 1 位志工的保險（檔案：三月時數.xlsx）" in response.content.decode()
    assert InsurancePolicy.objects.get().coverages.get().volunteer == volunteer
    assert stored(import_dir) == []


def test_an_ods_saved_by_libreoffice_is_previewed_and_imported_like_an_xlsx(staff, unit_a, volunteer, import_dir):
    saved = office.convert(xlsx([service_row(), service_row(start="114/03/02", end="")]), "xlsx", "ods")
    token = token_of(upload(staff, unit_a, saved, name="三月時數.ods"))
    page = staff.get(reverse("backoffice:excel_preview", args=[token])).content.decode()
    assert "全部 2 列都可以匯入" in page and "E12233****" in page
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "已匯入 2 筆服務時數（檔案：三月時數.ods）" in response.content.decode()
    assert ServiceRecord.objects.filter(unit=unit_a).count() == 2 and stored(import_dir) == []


def test_an_ods_declaring_a_million_rows_is_a_message_and_nothing_is_kept(staff, unit_a, volunteer, import_dir):
    data = hf_ods_million_rows()
    response = upload(staff, unit_a, data, name="大量.ods")
    assert response.status_code == 200 and "超出匯入的範圍" in response.content.decode()
    assert stored(import_dir) == [] and ServiceRecord.objects.count() == 0


def hf_ods_million_rows():
    return hostile.ods_book(hostile.ods_content(
        hostile.ods_template_rows() + hostile.ods_row(hostile.ROW, ' table:number-rows-repeated="1000000"')))


def test_the_preview_lists_every_problem_row_with_its_errors_and_offers_no_confirm(staff, unit_a, volunteer):
    rows = [service_row(), service_row(national_id="E122333442", start="114/03/02", end=""),
            service_row(hours=30, start="114/03/03", end=""), service_row(name="王小明", start="114/03/04", end="")]
    token = token_of(upload(staff, unit_a, xlsx(rows)))
    page = staff.get(reverse("backoffice:excel_preview", args=[token])).content.decode()
    assert "有 2 列需要修正" in page
    assert "檢查碼不正確" in page and "超過每日 24 小時" in page and "與系統登載的姓名「測試熊」不符" in page
    assert "確認匯入" not in page
    assert "重新上傳修正後的檔案" in page
    everything = staff.get(reverse("backoffice:excel_preview", args=[token]) + "?show=all").content.decode()
    assert everything.count("可匯入</span>") == 1


def test_confirming_a_file_with_errors_anyway_writes_nothing(staff, unit_a, volunteer):
    token = token_of(upload(staff, unit_a, xlsx([service_row(), service_row(hours=0, start="114/03/02", end="")])))
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]))
    assert response.status_code == 302
    assert ServiceRecord.objects.count() == 0


def test_a_corrected_upload_replaces_the_previous_one(staff, unit_a, volunteer, import_dir):
    first = token_of(upload(staff, unit_a, xlsx([service_row(hours=0)])))
    second = token_of(upload(staff, unit_a, xlsx([service_row()]), replaces=first))
    assert first != second
    assert all(name.startswith(second) for name in stored(import_dir))
    staff.post(reverse("backoffice:excel_confirm", args=[second]))
    assert ServiceRecord.objects.count() == 1


def test_training_is_imported_through_the_same_page(staff, unit_a, volunteer):
    token = token_of(upload(staff, unit_a, xlsx([training_row()], TRAINING_HEADER), kind="training"))
    staff.post(reverse("backoffice:excel_confirm", args=[token]))
    assert TrainingRecord.objects.get().certificate_number == "中市志推字第1140001號"


def test_records_entered_after_the_preview_are_caught_at_confirm(staff, unit_a, volunteer, service_record):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    service_record(start=dt.date(2025, 3, 1))  # someone keys in the same day meanwhile
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    page = response.content.decode()
    assert "資料在預覽後有變動" in page and "已登錄的紀錄" in page
    assert ServiceRecord.objects.count() == 1


def test_a_stored_file_changed_on_disk_is_not_imported(staff, unit_a, volunteer, import_dir):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    (import_dir / f"{token}.xlsx").write_bytes(xlsx([service_row(), service_row(start="114/03/09", end="")]))
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "暫存的檔案已被更動" in response.content.decode()
    assert ServiceRecord.objects.count() == 0


def test_a_second_confirm_while_the_first_runs_writes_nothing_more(staff, unit_a, volunteer, import_dir):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    holder = os.open(import_dir / f"{token}.lock", os.O_CREAT | os.O_WRONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process is committing this upload
    try:
        response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    finally:
        os.close(holder)
    assert ServiceRecord.objects.count() == 0
    assert "正在匯入中" in staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True).content.decode()
    assert response.status_code == 200


def test_an_expired_preview_is_deleted_and_asks_for_a_new_upload(staff, unit_a, volunteer, import_dir):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    meta_path = import_dir / f"{token}.json"
    meta = json.loads(meta_path.read_text())
    meta["created"] -= staging.ttl_seconds() + 1
    meta_path.write_text(json.dumps(meta))
    response = staff.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "請重新上傳" in response.content.decode()
    assert ServiceRecord.objects.count() == 0 and stored(import_dir) == []


def test_old_uploads_are_swept_at_the_next_upload(staff, unit_a, volunteer, import_dir):
    import_dir.mkdir(parents=True, exist_ok=True)
    old = import_dir / "forgotten.xlsx"
    old.write_bytes(b"x")
    past = time.time() - staging.ttl_seconds() - 3600
    os.utime(old, (past, past))
    upload(staff, unit_a, xlsx([service_row()]))
    assert not old.exists()


def test_cancel_removes_the_stored_file(staff, unit_a, volunteer, import_dir):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    response = staff.post(reverse("backoffice:excel_cancel", args=[token]), follow=True)
    assert "已取消這次匯入" in response.content.decode()
    assert stored(import_dir) == []


def test_a_malformed_token_is_a_404(staff, unit_a):
    assert staff.get("/backoffice/excel/imports/..%2F..%2Fsecret/").status_code == 404
    assert staff.get(reverse("backoffice:excel_preview", args=["A" * 32])).status_code == 404


# Bad files: a clear message, nothing stored, nothing written, never a 500


def _junk(size):
    return (os.urandom(1024) * (size // 1024 + 1))[:size]


@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (b"%PDF-1.5\n" + os.urandom(2000), "report.xlsx", "PDF"),
        ("身分證號碼,姓名\nE122333441,測試熊\n".encode(), "hours.csv", "CSV"),
        (os.urandom(5000), "random.xlsx", "不是試算表"),
        (_junk(10 * 1024 * 1024 + 100), "big.xlsx", "超過上限 10 MB"),
        (_junk(10 * 1024 * 1024 - 100), "junk.xlsx", "不是試算表"),
        (xlsx([["E122333441", 3]], header=["身分證號碼", "服務時數"]), "columns.xlsx", "缺少必要欄位：服務項目"),
        (xlsx([], header=False), "empty.xlsx", "工作表是空的"),
        (xlsx([]), "header.xlsx", "只有標題列"),
        (xlsx([service_row()], extra_sheets=[("計算", [["=SUM(1,2)"]])]), "formula.xlsx", "檔案含有公式"),
        (hostile.workbook(hostile.sheet_xml(hostile.template_rows(), dimension="A1:XFD1048576")), "wide.xlsx",
         "工作表用到儲存格 XFD1048576，超出匯入的範圍"),
        (hostile.raw_book(hostile.Member(hostile.SHEET, stored=hostile.zeros_deflated(1024), size=1000,
                                         crc=hostile.zeros_crc(1000))), "bomb.xlsx", "檔案內容與它標示的大小不符"),
    ],
    ids=["pdf", "csv", "random", "over-10MB", "10MB-junk", "wrong-columns", "empty-sheet", "only-header", "formula",
         "dimension-A1:XFD1048576", "zip-bomb-lying-header"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(staff, unit_a, volunteer, import_dir, data, name,
                                                              fragment):
    response = upload(staff, unit_a, data, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert fragment in page
    assert 'class="errorlist"' in page and "上傳並檢查" in page
    assert ServiceRecord.objects.count() == 0 and stored(import_dir) == []


def test_a_duplicated_row_is_shown_in_the_preview_and_blocks_the_import(staff, unit_a, volunteer):
    token = token_of(upload(staff, unit_a, xlsx([service_row(), service_row()])))
    page = staff.get(reverse("backoffice:excel_preview", args=[token])).content.decode()
    assert "與第 2 列完全相同（重複列）" in page
    staff.post(reverse("backoffice:excel_confirm", args=[token]))
    assert ServiceRecord.objects.count() == 0


def test_no_file_chosen_is_a_message(staff, unit_a):
    response = staff.post(reverse("backoffice:excel_upload"), {"unit": unit_a.pk, "kind": "service"})
    assert "請選擇要上傳的試算表檔案" in response.content.decode()


# Tenancy


def test_staff_of_unit_b_cannot_import_into_unit_a(client, supervisor_b, unit_a, volunteer, import_dir):
    client.force_login(supervisor_b)
    response = upload(client, unit_a, xlsx([service_row()]))
    assert response.status_code == 404
    assert stored(import_dir) == [] and ServiceRecord.objects.count() == 0


def test_staff_of_unit_b_cannot_see_or_confirm_an_upload_of_unit_a(client, staff, supervisor_b, unit_a, unit_b,
                                                                   volunteer):
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    client.force_login(supervisor_b)
    assert client.get(reverse("backoffice:excel_preview", args=[token])).status_code == 404
    assert client.post(reverse("backoffice:excel_confirm", args=[token])).status_code == 404
    assert client.post(reverse("backoffice:excel_cancel", args=[token])).status_code == 404
    assert ServiceRecord.objects.count() == 0


def test_an_upload_is_tied_to_the_person_who_made_it(client, staff, unit_a, volunteer, authority_clerk):
    """The authority clerk manages unit A too, but the preview and its confirm belong to the uploader."""
    token = token_of(upload(staff, unit_a, xlsx([service_row()])))
    client.force_login(authority_clerk)
    assert client.get(reverse("backoffice:excel_preview", args=[token])).status_code == 404


def test_staff_of_unit_b_cannot_export_or_open_unit_a(client, supervisor_b, unit_a, volunteer, service_record):
    service_record()
    client.force_login(supervisor_b)
    response = client.post(reverse("backoffice:excel_export"), {"unit": unit_a.pk, "kind": "service",
                                                                 "format": "csv"})
    assert response.status_code == 404
    assert client.get(reverse("backoffice:excel") + f"?unit={unit_a.pk}").status_code == 404


# Export


def export(client, unit, **fields):
    data = {"unit": unit.pk, "kind": "service", "format": "xlsx", **fields}
    return client.post(reverse("backoffice:excel_export"), data)


def test_the_xlsx_export_masks_ids_and_is_audited(staff, unit_a, volunteer, service_record, supervisor_a):
    service_record(hours="3.5")
    response = export(staff, unit_a)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "2-299" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == "E12233****" and sheet["G2"].value == 3.5
    entry = AuditEntry.objects.get(action="records.export.downloaded")
    assert entry.actor == supervisor_a and entry.unit == unit_a
    assert entry.changes["full_id"] is False and entry.changes["count"] == 1


def test_the_ods_export_holds_what_the_xlsx_holds(staff, unit_a, volunteer, service_record):
    service_record(hours="3.5", content="=1+1")
    response = export(staff, unit_a, format="ods")
    assert response.status_code == 200 and response["Content-Type"] == ODS
    assert response["Content-Disposition"].endswith('.ods"') or ".ods" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    first = rows.to_python()[1]
    assert first[:7] == ["E12233****", "測試熊", "綜合服務", "=1+1", "114/03/01", "114/03/01", 3.5]
    assert AuditEntry.objects.get(action="records.export.downloaded").changes["format"] == "ods"


def test_the_full_id_export_is_explicit_and_audited(staff, unit_a, volunteer, service_record):
    service_record()
    response = export(staff, unit_a, format="csv", full_id="on")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "E122333441"
    assert AuditEntry.objects.get(action="records.export.downloaded").changes["full_id"] is True


def test_the_csv_export_neutralises_formulas(staff, unit_a, volunteer, service_record):
    service_record(content="=HYPERLINK(\"http://evil.example\")")
    text = b"".join(export(staff, unit_a, format="csv").streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in text


def test_a_bad_export_date_is_a_message_not_a_download(staff, unit_a):
    response = export(staff, unit_a, start="114/02/30")
    assert response.status_code == 200
    assert "不存在" in response.content.decode()
    assert not AuditEntry.objects.filter(action="records.export.downloaded").exists()
