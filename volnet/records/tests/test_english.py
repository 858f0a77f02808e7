"""In English: the record forms, their refusals, the Excel import's row problems and the import command
speak English, while what is a file format (Excel headings, the words a cell holds, exports) and what
is stored (audit snapshots) stays Chinese."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from conftest import IDEOGRAPH, in_english
from volnet.audit import actions
from volnet.audit.models import AuditEntry
from volnet.records import books, exports, forms, imports, services
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.tests.excel_files import TRAINING_HEADER, service_row, training_row, valid_id, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = dt.date(2025, 12, 31)


@pytest.fixture
def english(client, supervisor_a, volunteer):
    """A supervisor of unit A in the back office, who chose English in the footer."""
    client.force_login(supervisor_a)
    session = client.session
    session["volnet_site"] = "backoffice"
    session.save()
    return in_english(client)


def test_the_service_hours_form_has_english_labels_help_and_refusals(english, volunteer):
    page = english.get(reverse("backoffice:service_add")).content.decode()
    for text in ("Service item", "Description", "Service start date", "Service end date", "Service hours",
                 "Leave empty for a single day.", "Choose a suggestion or type your own.",
                 'placeholder="e.g. 114/02/02"', "Choose a volunteer"):
        assert text in page, text

    data = {"volunteer": volunteer.pk, "service_item": "綜合服務", "content": "電話問安", "start_date": "114/03/01",
            "end_date": "114/02/01", "hours": "2"}
    page = english.post(reverse("backoffice:service_add"), data).content.decode()
    assert "The service end date 114/02/01 is before the start date 114/03/01. Please check." in page
    page = english.post(reverse("backoffice:service_add"), {**data, "end_date": "", "hours": "25"}).content.decode()
    assert "25 hours is more than the 24 hours a day can hold." in page
    assert not ServiceRecord.objects.exists()


def test_form_and_rule_messages_follow_the_active_language(volunteer, unit_a, supervisor_a):
    amount = forms.InsurancePolicyForm(
        {"insurer": "國泰", "policy_number": "P1", "start_date": "115/01/01", "end_date": "115/12/31",
         "accident_sum": "一百萬", "volunteers": [volunteer.pk]},
        unit=unit_a, volunteers=unit_a.memberships.none(),
    )
    with translation.override("en"):
        assert amount.errors["accident_sum"] == ["Please enter digits only, for example 1,000,000."]
        assert str(ServiceRecord.Status.PENDING.label) == "Awaiting review"
        assert str(TrainingRecord._meta.verbose_name) == "Training"
        with pytest.raises(books.BookError) as refusal:
            books.apply(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind="first", category="education")
        assert refusal.value.message == (
            "Not eligible to apply: Basic training has not been completed yet (please enter the basic training "
            "first). Special training in Education has not been completed yet (please enter special training of "
            "that category first)."
        )
    with pytest.raises(books.BookError) as refusal:
        books.apply(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind="first", category="education")
    assert refusal.value.message == ("不符合申請資格：尚未完成基礎訓練（請先登錄基礎訓練紀錄）。"
                                     "尚未完成教育類特殊訓練（請先登錄該類別的特殊訓練紀錄）。")


def test_the_excel_preview_lists_each_rows_problems_in_english(english, settings, tmp_path, unit_a, volunteer):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    data = xlsx([service_row(), service_row(national_id=valid_id("A", "12345678")),
                 service_row(start="114/03/05", end="", hours=30)])
    response = english.post(reverse("backoffice:excel_upload"), {
        "unit": unit_a.pk, "kind": "service", "file": SimpleUploadedFile("march.xlsx", data, content_type=XLSX),
    })
    assert response.status_code == 302
    page = english.get(response["Location"]).content.decode()
    # The heading is the file's own (Chinese); the sentence is English.
    assert ("身分證號碼: no volunteer with this number was found. Please add them under “Volunteer management” "
            "first, then import again.") in page
    assert "Service hours of 30 are more than the limit of 24 hours a day (at most 24 hours in 1 day)." in page


def test_a_bad_file_and_a_wrong_cell_are_explained_in_english():
    with translation.override("en"):
        with pytest.raises(imports.ImportFileError) as refusal:
            imports.read_file(b"%PDF-1.7 not a workbook")
        assert refusal.value.message.startswith("“A PDF file” is not a spreadsheet (.xlsx or .ods).")
        sheet = imports.read_file(xlsx([training_row(kind="進階", category="美食類", hours="1小時75分")],
                                       TRAINING_HEADER), today=TODAY)
    errors = sheet.rows[0].errors
    assert ("訓練類別: “進階” is not 基礎訓練 (basic), 特殊訓練 (special), 在職訓練 (in-service) "
            "or 其他訓練 (other).") in errors
    assert ("特殊訓練類別: “美食類” is not one of the categories (社會福利類, 教育類, 文化類, 衛生保健類, 原住民類, "
            "體育類, 環境保護類, 其他類).") in errors
    assert "訓練時數: The minutes in “1小時75分” should be less than 60." in errors


def test_the_command_speaks_english_when_asked(tmp_path, unit_a, volunteer):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(xlsx([service_row()]))
    bad.write_bytes(xlsx([service_row(), service_row(hours="")]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", str(good), "--unit", "2-299", "--dry-run", "--language", "en", stdout=out,
                 stderr=err)
    assert "File: good.xlsx  Type: Service hours  Unit: 2-299" in out.getvalue()
    assert "Check passed: 1 row can be imported (--dry-run, nothing saved)." in out.getvalue()
    assert "Checking" in err.getvalue()

    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_records", str(bad), "--unit", "2-299", "--language", "en", "--no-progress",
                     stdout=out, stderr=io.StringIO())
    assert str(failure.value) == "1 row has errors; nothing was imported. Please correct it and run the command again."
    assert "Row 3: 服務時數: Required, for example 3.5." in out.getvalue()
    assert not ServiceRecord.objects.exists()


def test_audit_snapshots_stay_chinese_and_are_read_in_the_readers_language(supervisor_a, unit_a, volunteer):
    with translation.override("en"):
        record = services.add_service(actor=supervisor_a, unit=unit_a, volunteer=volunteer, service_item="綜合服務",
                                      content="電話問安", start_date=dt.date(2025, 3, 1), hours="3.5",
                                      today=TODAY)
        services.update_service(record, actor=supervisor_a, hours="4", today=TODAY)
    added = AuditEntry.objects.get(action="records.service.created")
    assert added.changes["服務時數"] == ["", "3.5"] and added.changes["志工"] == ["", "測試熊（E12233****）"]
    corrected = AuditEntry.objects.get(action="records.service.updated")
    assert corrected.changes == {"服務時數": ["3.5", "4"]}
    with translation.override("en"):
        assert actions.rows(corrected.changes) == [("Service hours", "3.5", "4")]
        assert str(actions.label(corrected.action)) == "Corrected service hours"
    assert actions.rows(corrected.changes) == [("服務時數", "3.5", "4")]


def test_templates_and_exports_keep_the_file_format_in_chinese(unit_a, volunteer, service_record):
    service_record(hours="3.5", content="電話問安")
    with translation.override("en"):
        book = openpyxl.load_workbook(io.BytesIO(exports.build_template(imports.TRAINING)))
        rows = list(exports.export_rows(imports.SERVICE, unit_a))
        text = "".join(exports.csv_chunks(exports.export_header(imports.SERVICE), rows))
    assert book.sheetnames == ["Training", "How to fill in"]
    data = book.worksheets[0]
    assert [cell.value for cell in data[1]] == TRAINING_HEADER
    lists = {v.promptTitle: v.formula1 for v in data.data_validations.dataValidation if v.type == "list"}
    assert lists["訓練類別"] == '"基礎訓練,特殊訓練,在職訓練,其他訓練"'
    assert lists["特殊訓練類別"].startswith('"社會福利類,')
    notes = [row[1] for row in book["How to fill in"].iter_rows(values_only=True) if row[1]]
    assert "Special training needs its category." in " ".join(notes)
    header, first = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[-3:] == ["狀態", "登錄人", "建立時間"] and first[7] == "已核定"
    # Copied into the template, the example row imports cleanly whatever language made the template.
    book.worksheets[0].append([column.example for column in imports.TRAINING_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    assert imports.read_file(buffer.getvalue(), today=TODAY).rows[0].errors == []
    assert not IDEOGRAPH.search(book["How to fill in"]["A1"].value)
