"""Small in-memory xlsx files for the import tests, written with openpyxl like a user's Excel would."""

import io

from openpyxl import Workbook

from volnet.records.imports import SERVICE_COLUMNS, TRAINING_COLUMNS

SERVICE_HEADER = [c.title for c in SERVICE_COLUMNS]
TRAINING_HEADER = [c.title for c in TRAINING_COLUMNS]

_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1)


def valid_id(letter="A", body="12345678"):
    """An ID number with a correct check digit: letter + 8 digits (second digit 1 or 2) + checksum."""
    value = _LETTERS.index(letter) + 10
    digits = [value // 10, value % 10] + [int(ch) for ch in body]
    total = sum(w * d for w, d in zip(_WEIGHTS, digits, strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


class AsText(str):
    """A cell Excel stores as text even though it starts with `=` (what a user gets with a leading ')."""


def _append(sheet, row):
    sheet.append([str(value) if isinstance(value, AsText) else value for value in row])
    for position, value in enumerate(row, start=1):
        if isinstance(value, AsText):
            cell = sheet.cell(row=sheet.max_row, column=position)
            cell.value = str(value)
            cell.data_type = "s"


def xlsx(rows, header=None, title="服務時數", *, header_row=1, extra_sheets=()):
    """Bytes of a workbook whose first sheet holds `header` (at `header_row`) and `rows` below it."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for _ in range(header_row - 1):
        sheet.append([])
    if header is not False:
        sheet.append(list(header or SERVICE_HEADER))
    for row in rows:
        _append(sheet, row)
    for name, sheet_rows in extra_sheets:
        other = book.create_sheet(name)
        for row in sheet_rows:
            _append(other, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def service_row(national_id="E122333441", name="測試熊", item="綜合服務", content="電話問安", start="114/03/01",
                end="114/03/01", hours=2):
    return [national_id, name, item, content, start, end, hours]


def training_row(national_id="E122333441", name="測試熊", kind="特殊訓練", category="社會福利類", course="社福特殊訓練",
                 organiser="臺中市志願服務推廣中心", start="114/03/01", end="114/03/02", sessions=2, hours=12,
                 certificate="中市志推字第1140001號"):
    return [national_id, name, kind, category, course, organiser, start, end, sessions, hours, certificate]


def saved_by_libreoffice(saved_by_excel, kind, today):
    """The same file saved by LibreOffice as .ods: its bytes, after checking that it reads row for row, cell for
    cell, with the same problems and values as the one saved by Excel."""
    from volnet.records import imports
    from volnet.tests import office

    ods = office.convert(saved_by_excel, "xlsx", "ods")
    from_xlsx, from_ods = (imports.read_file(data, kind, today=today) for data in (saved_by_excel, ods))
    assert [(r.line, r.cells, r.errors, r.data) for r in from_ods.rows] == [
        (r.line, r.cells, r.errors, r.data) for r in from_xlsx.rows]
    return ods
