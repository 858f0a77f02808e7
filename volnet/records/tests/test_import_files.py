"""read_file: what is not a safe, readable xlsx is refused as a whole, with a message saying why."""

import io
import os
import zipfile

import pytest
from openpyxl import Workbook

from volnet.records import exports, imports
from volnet.records.tests.excel_files import SERVICE_HEADER, TRAINING_HEADER, service_row, training_row, xlsx


def refused(data, kind=None, **options):
    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(data, kind, **options)
    return caught.value


def test_it_reads_a_filled_template_row_by_row_with_excel_row_numbers():
    sheet = imports.read_file(xlsx([service_row(), service_row(start="114/03/02", end="114/03/02")]))
    assert sheet.kind == imports.SERVICE
    assert [row.line for row in sheet.rows] == [2, 3]
    assert sheet.rows[0].data["national_id"] == "E122333441"
    assert len(sheet.sha256) == 64


def test_a_header_further_down_keeps_the_row_numbers_excel_shows():
    sheet = imports.read_file(xlsx([service_row()], header_row=3))
    assert [row.line for row in sheet.rows] == [4]


def test_blank_rows_between_data_are_skipped_but_not_renumbered():
    sheet = imports.read_file(xlsx([service_row(), ["", "", "", "", "", "", ""], service_row(start="114/03/05",
                                                                                             end="")]))
    assert [row.line for row in sheet.rows] == [2, 4]


def test_the_kind_is_recognised_from_the_header_when_not_given():
    assert imports.read_file(xlsx([training_row()], TRAINING_HEADER)).kind == imports.TRAINING


def test_columns_may_come_in_any_order_and_with_alias_names():
    header = ["服務時數", "服務日期", "身分證字號", "服務內容", "服務項目"]
    sheet = imports.read_file(xlsx([[3, "114/03/01", "E122333441", "電話問安", "綜合服務"]], header))
    row = sheet.rows[0]
    assert not row.errors
    assert row.data["hours"] == 3 and row.data["end"] == row.data["start"]


def test_unknown_extra_columns_are_named_in_a_notice_and_ignored():
    sheet = imports.read_file(xlsx([service_row() + ["備註文字"]], SERVICE_HEADER + ["備註"]))
    assert sheet.notices == ["下列欄位不在範本中，不會匯入：備註。"]


def test_the_template_sheet_of_instructions_is_not_mistaken_for_data():
    data = exports.build_template(imports.SERVICE)
    error = refused(data)
    assert error.code == "no_rows"
    assert "只有標題列" in error.message


@pytest.mark.parametrize(
    "data, code, fragment",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", "not_xlsx", "PDF"),
        ("身分證號碼,姓名,服務時數\nE122333441,測試熊,3\n".encode(), "not_xlsx", "CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "not_xlsx", ".xls"),
        (os.urandom(4096), "not_xlsx", "不是試算表"),
        (b"", "empty_file", "空的"),
        (b"P", "not_xlsx", "不是試算表"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64), "not_xlsx", "不是試算表"),
        (b"PK\x03\x04garbage that is not a zip", "corrupt", "損毀"),
        (xlsx([service_row()])[:1500], "corrupt", "損毀"),
        (xlsx([service_row()])[:-30], "corrupt", "損毀"),
    ],
    ids=["pdf-renamed", "csv", "old-xls", "random-bytes", "zero-bytes", "one-byte", "png-renamed", "broken-zip",
         "truncated-zip", "truncated-directory"],
)
def test_files_that_are_not_xlsx_are_refused_with_what_they_look_like(data, code, fragment):
    error = refused(data)
    assert error.code == code
    assert fragment in error.message


def test_a_word_document_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in refused(buffer.getvalue()).message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED_BYTES", 10_000)
    error = refused(xlsx([service_row()] * 200))
    assert error.code == "too_large"


def test_an_empty_sheet_is_refused():
    error = refused(xlsx([], header=False))
    assert error.code == "empty_sheet"


def test_a_sheet_with_only_the_header_is_refused():
    error = refused(xlsx([]))
    assert error.code == "no_rows"


def test_a_sheet_without_our_header_lists_the_expected_columns():
    error = refused(xlsx([["a", "b"], [1, 2]], header=["欄一", "欄二"]))
    assert error.code == "no_header"
    assert "身分證號碼" in error.message and "服務時數" in error.message


def test_missing_required_columns_are_named():
    error = refused(xlsx([["E122333441", "測試熊", 3]], header=["身分證號碼", "姓名", "服務時數"]), imports.SERVICE)
    assert error.code == "missing_columns"
    assert "服務項目" in error.message and "服務內容" in error.message and "服務起日" in error.message


def test_a_duplicated_column_is_refused():
    error = refused(xlsx([service_row() + [1]], SERVICE_HEADER + ["服務時數"]))
    assert error.code == "duplicate_column"


def test_a_training_file_uploaded_as_service_hours_says_which_kind_it_is():
    error = refused(xlsx([training_row()], TRAINING_HEADER), imports.SERVICE)
    assert error.code == "wrong_kind"
    assert "教育訓練" in error.message


def test_formula_cells_are_refused_naming_the_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(SERVICE_HEADER)
    sheet.append(service_row())
    sheet["G2"] = "=1+1"
    sheet.append(service_row(start="114/03/02", end="114/03/02"))
    sheet["D3"] = '=HYPERLINK("http://evil.example","點我")'
    buffer = io.BytesIO()
    book.save(buffer)
    error = refused(buffer.getvalue())
    assert error.code == "formula"
    assert "G2" in error.message and "D3" in error.message


def test_a_formula_on_another_sheet_is_refused_too():
    data = xlsx([service_row()], extra_sheets=[("計算", [[1], ["=A1*2"]])])
    assert refused(data).code == "formula"


def test_our_own_template_with_its_drop_down_lists_is_not_taken_for_formulas():
    for kind in (imports.SERVICE, imports.TRAINING):
        assert imports.find_formula_cells(exports.build_template(kind)) == []


def test_too_many_rows_are_refused():
    error = refused(xlsx([service_row(start=f"114/01/{day:02d}", end="") for day in range(1, 6)]), max_rows=3)
    assert error.code == "too_many_rows"


def test_it_reads_from_a_path_and_from_a_file_object(tmp_path):
    data = xlsx([service_row()])
    path = tmp_path / "hours.xlsx"
    path.write_bytes(data)
    assert len(imports.read_file(path).rows) == 1
    assert len(imports.read_file(io.BytesIO(data)).rows) == 1
