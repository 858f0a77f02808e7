"""volnet.lib.spreadsheets: the same table as xlsx and ods, opened by real readers (python-calamine, openpyxl,
LibreOffice) to see what a person opening the download would see."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from volnet.lib import spreadsheets
from volnet.tests import office

COLUMNS = [
    spreadsheets.Column("身分證號碼", width=16, text=True, prompt="10 碼"),
    spreadsheets.Column("姓名", width=12),
    spreadsheets.Column("服務起日(民國)", text=True),
    spreadsheets.Column("時數", width=8),
]
ROWS = [
    ["E12233****", "測試熊", dt.date(2025, 3, 1), Decimal("3.5")],
    ["=HYPERLINK(\"http://evil.example\")", "  前後  空白 ", "114/03/02", 2],
    [None, "兩行\n文字", "", Decimal("12")],
    ["+886", "控制\x07字元", dt.date(2024, 12, 31), 0.5],
]
EXPECTED = [
    ["身分證號碼", "姓名", "服務起日(民國)", "時數"],
    ["E12233****", "測試熊", "114/03/01", 3.5],
    ["=HYPERLINK(\"http://evil.example\")", "  前後  空白 ", "114/03/02", 2],
    ["", "兩行\n文字", "", 12],
    ["+886", "控制字元", "113/12/31", 0.5],
]


def calamine_rows(data):
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_the_table_reads_back_the_same_in_either_format(file_format):
    data = spreadsheets.write_table(ROWS, COLUMNS, file_format, sheet_name="志工名冊")
    sheets = calamine_rows(data)
    assert list(sheets) == ["志工名冊"]
    assert sheets["志工名冊"] == EXPECTED


def test_an_ods_is_an_opendocument_spreadsheet_by_its_first_bytes():
    data = spreadsheets.write_table(ROWS, COLUMNS, "ods")
    assert data[30:38] == b"mimetype" and data[38:84] == b"application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        content = archive.read("content.xml").decode()
        settings = archive.read("settings.xml").decode()
    # The ID and date columns stay text when typed into; the risky cell is a string, never a formula.
    assert 'table:default-cell-style-name="ceT"' in content and "table:formula" not in content
    assert '"VerticalSplitPosition" config:type="int">1<' in settings  # the header row is frozen


def test_the_xlsx_has_a_bold_frozen_header_text_columns_and_quoted_risky_text():
    book = openpyxl.load_workbook(io.BytesIO(spreadsheets.write_table(ROWS, COLUMNS, "xlsx")))
    sheet = book.active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].number_format == "@" and sheet.column_dimensions["A"].width == 18
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix


def test_a_sheet_name_is_made_acceptable_to_both_formats():
    assert spreadsheets.safe_sheet_name("113/114 年度:名冊[草稿]？" + "長" * 40).startswith("113114 年度名冊草稿？長")
    assert len(spreadsheets.safe_sheet_name("長" * 40)) == 31
    assert spreadsheets.safe_sheet_name("///") == "Sheet1"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        spreadsheets.write_table(ROWS, COLUMNS, "xls")


def test_a_hundred_thousand_rows_stream_to_disk_in_either_format():
    rows = ([f"A1234{n:05d}", "王小明", "114/03/01", 1.5] for n in range(100_000))
    with spreadsheets.write_book([spreadsheets.Sheet("大量", rows, COLUMNS)], "ods") as handle:
        book = CalamineWorkbook.from_filelike(handle)
        values = book.get_sheet_by_index(0).to_python()
    assert len(values) == 100_001 and values[-1][0] == "A123499999"


def test_libreoffice_opens_our_ods_and_xlsx_as_we_wrote_them():
    templates = [spreadsheets.Sheet("範本", [], [
        spreadsheets.Column("訓練類別", choices=("基礎訓練", "特殊訓練"), strict=True, error="請從清單選擇",
                            prompt="基礎或特殊"),
        spreadsheets.Column("訓練次數", number="whole", minimum=1, maximum=999, error="1 到 999"),
    ], prepared_rows=20)]
    with spreadsheets.write_book([spreadsheets.Sheet("志工名冊", ROWS, COLUMNS), *templates], "ods") as handle:
        ods = handle.read()
    # LibreOffice reads our ods and saves it as xlsx: the cells, the text format and the lists survive.
    book = openpyxl.load_workbook(io.BytesIO(office.convert(ods, "ods", "xlsx")))
    assert [list(row) for row in book["志工名冊"].iter_rows(values_only=True)] == [
        [None if value == "" else value for value in row] for row in EXPECTED]
    assert book["志工名冊"]["A2"].number_format == "@"
    validations = {v.formula1: v for v in book["範本"].data_validations.dataValidation}
    assert validations['"基礎訓練,特殊訓練"'].showErrorMessage
    assert validations['"基礎訓練,特殊訓練"'].prompt == "基礎或特殊"
    assert validations["1"].type == "whole" and validations["1"].formula2 == "999"
    # And it reads our xlsx and saves it as ods, which calamine reads back the same.
    xlsx = spreadsheets.write_table(ROWS, COLUMNS, "xlsx", sheet_name="志工名冊")
    assert calamine_rows(office.convert(xlsx, "xlsx", "ods"))["志工名冊"] == EXPECTED
