"""records.exports: the import templates, and a unit's records as xlsx and CSV (masked, injection-safe)."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from volnet.records import exports, imports
from volnet.records.models import TrainingRecord


def read_xlsx(handle):
    book = openpyxl.load_workbook(handle)
    return book.active


def csv_text(kind, unit, **options):
    return "".join(exports.csv_chunks(exports.export_header(kind), exports.export_rows(kind, unit, **options)))


# Templates


@pytest.mark.parametrize("kind", [imports.SERVICE, imports.TRAINING])
def test_the_template_has_the_header_a_help_sheet_with_an_example_and_drop_downs(kind):
    book = openpyxl.load_workbook(io.BytesIO(exports.build_template(kind)))
    assert book.sheetnames == [imports.KIND_LABELS[kind], "填寫說明"]
    data = book.worksheets[0]
    titles = [column.title for column in imports.COLUMNS[kind]]
    assert [cell.value for cell in data[1]] == titles
    assert data.max_row == 1  # no example row among the data: it would be imported
    assert data.freeze_panes == "A2"
    assert data.column_dimensions["A"].number_format == "@"  # IDs and ROC dates stay text
    prompts = {validation.promptTitle for validation in data.data_validations.dataValidation}
    assert set(titles) == prompts
    notes = book["填寫說明"]
    values = list(notes.iter_rows(values_only=True))
    header_at = [i for i, row in enumerate(values) if list(row[:len(titles)]) == titles][-1]
    assert values[header_at + 1][:len(titles)] == tuple(column.example for column in imports.COLUMNS[kind])


def test_the_service_template_suggests_service_items_and_the_training_one_lists_kinds_and_categories():
    service = openpyxl.load_workbook(io.BytesIO(exports.build_template(imports.SERVICE))).worksheets[0]
    lists = [v.formula1 for v in service.data_validations.dataValidation if v.type == "list"]
    assert any("綜合服務" in formula for formula in lists)
    training = openpyxl.load_workbook(io.BytesIO(exports.build_template(imports.TRAINING))).worksheets[0]
    lists = [v.formula1 for v in training.data_validations.dataValidation if v.type == "list"]
    assert any("特殊訓練" in formula for formula in lists)
    assert any("社會福利類" in formula for formula in lists)


def test_an_example_row_copied_into_the_template_imports_cleanly():
    book = openpyxl.load_workbook(io.BytesIO(exports.build_template(imports.TRAINING)))
    book.worksheets[0].append([column.example for column in imports.TRAINING_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = imports.read_file(buffer.getvalue(), today=dt.date(2025, 12, 31))
    assert sheet.kind == imports.TRAINING and sheet.rows[0].errors == []


# Exports


def test_the_xlsx_export_masks_ids_by_default_and_lists_only_the_units_own_records(
    unit_a, unit_b, volunteer, service_record
):
    service_record(hours="3.5", content="電話問安")
    service_record(unit=unit_b, content="其他單位的紀錄")
    sheet = read_xlsx(exports.write_export(imports.SERVICE, exports.export_header(imports.SERVICE),
                                         exports.export_rows(imports.SERVICE, unit_a)))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(exports.SERVICE_EXPORT_HEADER)
    assert len(rows) == 2
    assert rows[1][:7] == ("E12233****", "測試熊", "綜合服務", "電話問安", "114/03/01", "114/03/01", 3.5)
    assert rows[1][7:9] == ("已核定", "何小倫")


def test_the_full_id_is_exported_only_when_asked(unit_a, volunteer, service_record):
    service_record()
    text = csv_text(imports.SERVICE, unit_a, full_id=True)
    assert "E122333441" in text
    assert "E122333441" not in csv_text(imports.SERVICE, unit_a)


def test_the_csv_has_a_bom_for_excel_and_neutralises_formulas(unit_a, volunteer, service_record):
    service_record(content='=HYPERLINK("http://evil.example","點我")')
    service_record(content="+886 電話", start=dt.date(2025, 3, 2))
    service_record(content="@SUM(A1)", start=dt.date(2025, 3, 3))
    service_record(content="-1+2", start=dt.date(2025, 3, 4))
    text = csv_text(imports.SERVICE, unit_a)
    assert text.startswith("\ufeff身分證號碼,姓名,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    contents = [row[3] for row in rows[1:]]
    assert contents == ["'=HYPERLINK(\"http://evil.example\",\"點我\")", "'+886 電話", "'@SUM(A1)", "'-1+2"]
    assert rows[1][6] == "2"


def test_the_xlsx_keeps_risky_text_as_quoted_text_never_a_formula(unit_a, volunteer, service_record):
    service_record(content="=1+1")
    sheet = read_xlsx(exports.write_export(imports.SERVICE, exports.export_header(imports.SERVICE),
                                         exports.export_rows(imports.SERVICE, unit_a)))
    cell = sheet["D2"]
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix


def test_an_exported_file_with_full_ids_imports_back_into_another_unit(unit_a, unit_b, volunteer, service_record):
    from volnet.units.models import Membership

    service_record(hours="2.5")
    Membership.objects.create(volunteer=volunteer, unit=unit_b)
    handle = exports.write_export(imports.SERVICE, exports.export_header(imports.SERVICE),
                                exports.export_rows(imports.SERVICE, unit_a, full_id=True))
    sheet = imports.read_file(handle.read())
    check = imports.validate(sheet, unit_b)
    assert check.ok and check.rows[0].data["hours"] == 2.5
    assert "狀態" in check.notices[0]


def test_training_exports_its_time_so_that_it_imports_back(unit_a, volunteer, supervisor_a):
    TrainingRecord.objects.create(
        volunteer=volunteer, unit=unit_a, registrant=supervisor_a, kind="special", category="social_welfare",
        course="社福特殊訓練", organiser="推廣中心", start_date=dt.date(2025, 3, 1), minutes=80,
        certificate_number="=cmd",
    )
    rows = list(csv.reader(io.StringIO(csv_text(imports.TRAINING, unit_a).lstrip("\ufeff"))))
    assert rows[1][:11] == ["E12233****", "測試熊", "特殊訓練", "社會福利類", "社福特殊訓練", "推廣中心", "114/03/01",
                            "", "1", "1:20", "'=cmd"]


@pytest.mark.parametrize("minutes, shown", [(60, 1), (90, 1.5), (720, 12), (80, "1:20"), (45, "0:45")])
def test_training_time_is_written_as_hours_or_hours_and_minutes(minutes, shown):
    assert exports.training_hours(minutes) == shown


def test_a_date_range_limits_the_export(unit_a, volunteer, service_record):
    service_record(start=dt.date(2025, 1, 5))
    service_record(start=dt.date(2025, 3, 5))
    rows = list(exports.export_rows(imports.SERVICE, unit_a, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)))
    assert [row[4] for row in rows] == ["114/03/05"]


def test_the_file_name_carries_the_unit_code_kind_and_date(unit_a):
    assert exports.export_file_name(imports.SERVICE, unit_a, "csv", dt.date(2025, 3, 1)) == "2-299-服務時數-1140301.csv"
