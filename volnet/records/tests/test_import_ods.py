"""An .ods imports exactly as an .xlsx: one saved by LibreOffice, our own template, and the same refusals."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from volnet.lib import spreadsheets
from volnet.records import exports, imports
from volnet.records.tests import hostile_files as hf
from volnet.records.tests.excel_files import SERVICE_HEADER, TRAINING_HEADER, service_row, training_row, xlsx
from volnet.tests import office

TODAY = dt.date(2025, 12, 31)


def summary(sheet):
    return [(row.line, row.cells, row.errors, row.warnings, row.data) for row in sheet.rows]


def test_a_file_saved_by_libreoffice_imports_like_the_one_saved_by_excel():
    book = Workbook()
    sheet = book.active
    sheet.title = "服務時數"
    sheet.append(SERVICE_HEADER)
    sheet.append(service_row(hours=2))
    sheet.append(service_row(start="114/03/02", end="", hours=3.5, content="  送餐  服務 "))
    sheet.append(service_row(start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 4), hours=10))  # real date cells
    sheet.append(service_row(national_id="E122333442", start="114/03/05"))  # a wrong check digit
    buffer = io.BytesIO()
    book.save(buffer)
    saved_by_excel = buffer.getvalue()
    saved_by_libreoffice = office.convert(saved_by_excel, "xlsx", "ods")
    assert saved_by_libreoffice[30:38] == b"mimetype"
    from_xlsx = imports.read_file(saved_by_excel, today=TODAY)
    from_ods = imports.read_file(saved_by_libreoffice, today=TODAY)
    assert from_ods.kind == from_xlsx.kind == imports.SERVICE
    assert summary(from_ods) == summary(from_xlsx)
    assert [row.status for row in from_ods.rows] == [imports.OK, imports.OK, imports.OK, imports.ERROR]
    assert from_ods.rows[2].data["start"] == dt.date(2025, 3, 3)


def test_a_training_file_saved_by_libreoffice_imports_too():
    saved = office.convert(xlsx([training_row()], TRAINING_HEADER, title="教育訓練"), "xlsx", "ods")
    sheet = imports.read_file(saved, imports.TRAINING, today=TODAY)
    assert sheet.rows[0].errors == [] and sheet.rows[0].data["minutes"] == 720


@pytest.mark.parametrize("kind", [imports.SERVICE, imports.TRAINING])
def test_our_ods_template_with_its_example_row_imports_cleanly(kind):
    template = exports.build_template(kind, "ods")
    assert imports.inspect_file(template) == []
    columns = [spreadsheets.Column(column.title, text=True) for column in imports.COLUMNS[kind]]
    filled = spreadsheets.write_table([[column.example for column in imports.COLUMNS[kind]]], columns, "ods")
    sheet = imports.read_file(filled, kind, today=TODAY)
    assert sheet.rows[0].errors == []


def test_a_formula_saved_by_libreoffice_is_refused_naming_its_cell():
    book = Workbook()
    book.active.append(SERVICE_HEADER)
    book.active.append(service_row()[:6] + ["=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(office.convert(buffer.getvalue(), "xlsx", "ods"))
    assert caught.value.code == "formula" and "G2" in caught.value.message


def test_an_ods_is_no_longer_sent_away_to_be_converted():
    sheet = imports.read_file(hf.ods_book(hf.ods_content(hf.ods_template_rows())), today=TODAY)
    assert len(sheet.rows) == 1 and sheet.rows[0].errors == []


@pytest.mark.parametrize("mimetype", ["application/vnd.oasis.opendocument.text", None])
def test_another_opendocument_file_is_refused_as_not_a_spreadsheet(mimetype):
    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(hf.ods_book(hf.ods_content(hf.ods_template_rows()), mimetype=mimetype))
    assert caught.value.code == "not_xlsx" and ".ods" in caught.value.message


def test_a_damaged_ods_is_a_message():
    data = hf.ods_book(hf.ods_content(hf.ods_template_rows()).replace("</table:table>", ""))
    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(data)
    assert caught.value.code == "corrupt"
