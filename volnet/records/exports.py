"""Excel templates and exports of a unit's service hours and training.

Templates are written with openpyxl (header, input prompts, drop-down lists, a sheet of instructions
with an example row). The prompts and instructions are in the language of whoever downloads the
template; the headings, the drop-down values and the example row are the import's file format and stay
Chinese, and so does everything an export writes (its first columns are the template's, to re-import).
Exports stream rows from the database into an openpyxl write-only workbook or a UTF-8 CSV with a
byte-order mark (so Excel opens Chinese correctly). ID numbers are masked unless
the caller asks for the full number. Text that Excel would run as a formula (starting with = + - @)
is neutralised: a leading apostrophe in CSV, a text cell with Excel's quote prefix in xlsx.
"""

import csv
import io
import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from volnet.lib import hours as hours_lib
from volnet.lib import masking, rocdate
from volnet.records.choices import SERVICE_ITEMS, ServiceCategory, source_labels
from volnet.records.imports import COLUMNS, KIND_LABELS, SERVICE, TRAINING
from volnet.records.models import Consent, ServiceRecord, TrainingRecord

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 2000  # rows that carry the prompts and drop-downs
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B5394")
_TEXT_KEYS = {"national_id", "name", "service_item", "content", "start", "end", "kind", "category", "course",
              "organiser", "certificate"}


# ---------------------------------------------------------------------------------------------------
# Templates


def build_template(kind):
    """The import template for `kind` as xlsx bytes: one data sheet and one 填寫說明 sheet."""
    columns = COLUMNS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = str(KIND_LABELS[kind])
    sheet.append([column.title for column in columns])
    last_row = TEMPLATE_ROWS + 1
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(_prompt(column), _("志願服務資訊網"))
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width + 2
        if column.key in _TEXT_KEYS:
            # Text format keeps 114/03/01 and leading zeros as typed instead of turning them into dates.
            dimension.number_format = "@"
        validation = _validation_for(kind, column)
        validation.sqref = f"{letter}2:{letter}{last_row}"
        sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(_("填寫說明"))
    _write_instructions(notes, kind, columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _prompt(column):
    """What the column holds, and whether it may stay empty."""
    if column.required:
        return _("%(help)s（必填）") % {"help": column.help}
    return _("%(help)s（可空白）") % {"help": column.help}


def _validation_for(kind, column):
    prompt = _prompt(column)
    if column.key == "service_item":
        # A suggestion list: other items are allowed, so no error message.
        validation = DataValidation(type="list", formula1='"' + ",".join(SERVICE_ITEMS) + '"',
                                    allow_blank=True, showErrorMessage=False)
    elif column.key == "kind":
        # The list holds the words the import reads, whatever the language of the prompts.
        labels = ",".join(source_labels(TrainingRecord.Kind.choices).values())
        validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=column.title,
                                    error=_("請從清單選擇：基礎訓練、特殊訓練、在職訓練或其他訓練。"))
    elif column.key == "category":
        labels = ",".join(source_labels(ServiceCategory.choices).values())
        validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=column.title, error=_("請從清單選擇類別。"))
    elif column.key == "hours" and kind == SERVICE:
        validation = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                                    showErrorMessage=True, errorStyle="warning", errorTitle=column.title,
                                    error=_("時數必須大於 0，最多一位小數。"))
    elif column.key == "sessions":
        validation = DataValidation(type="whole", operator="between", formula1="1", formula2="999",
                                    allow_blank=True, showErrorMessage=True, errorTitle=column.title,
                                    error=_("請填 1 到 999 的整數。"))
    else:
        validation = DataValidation(allow_blank=True)
    validation.showInputMessage = True
    validation.promptTitle = column.title[:32]
    validation.prompt = prompt[:255]
    return validation


def _write_instructions(sheet, kind, columns):
    bold = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70
    sheet.append([_("%(kind)s匯入範本：填寫說明") % {"kind": KIND_LABELS[kind]}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    rules = [
        _("1. 請在「%(sheet)s」工作表由第 2 列起填寫，每列一筆，不要修改或刪除第 1 列的標題。")
        % {"sheet": KIND_LABELS[kind]},
        _("2. 日期請用民國年，例如 114/03/01（也接受 1140301、114年3月1日或 Excel 日期格式）。"),
        _("3. 不要使用公式；從別處複製時，請用「選擇性貼上 → 值」。含公式的檔案不會匯入。"),
        _("4. 志工須為本單位服務中的志工；新志工請先在「志工管理」加入。"),
        _("5. 上傳後會先顯示預覽，列出每一列的問題；全部正確才能確認匯入，且整份檔案一次匯入。"),
    ]
    if kind == SERVICE:
        rules.append(_("6. 服務時數大於 0、最多一位小數，每天最多 24 小時；同一志工相同服務項目與內容的日期不可重疊。"))
    else:
        rules.append(_("6. 特殊訓練必須填寫特殊訓練類別；訓練時數以小時計，例如 6、1.5 或 1:20（1 小時 20 分）。"))
    for rule in rules:
        sheet.append(["", rule])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    sheet.append([_("欄位"), _("說明")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in columns:
        sheet.append([column.title, _prompt(column)])
    sheet.append([])
    sheet.append([_("範例（請勿填在本工作表）")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    start = sheet.max_row + 1
    sheet.append([column.title for column in columns])
    sheet.append([column.example for column in columns])
    for cell in sheet[start]:
        cell.font = bold
    for cell in sheet[start + 1]:
        cell.number_format = "@"


# ---------------------------------------------------------------------------------------------------
# Exports


# zh-only: an export's header row is file format: the import template's headings, then these in the same language
SERVICE_EXPORT_HEADER = [c.title for c in COLUMNS[SERVICE]] + ["狀態", "登錄人", "建立時間"]
# zh-only: an export's header row is file format: the import template's headings, then these in the same language
TRAINING_EXPORT_HEADER = [c.title for c in COLUMNS[TRAINING]] + ["登錄人", "建立時間"]


def export_header(kind):
    return list(SERVICE_EXPORT_HEADER if kind == SERVICE else TRAINING_EXPORT_HEADER)


def export_queryset(kind, unit, start=None, end=None):
    """The unit's own entries (never another unit's), optionally those starting within [start, end]."""
    model = ServiceRecord if kind == SERVICE else TrainingRecord
    records = model.objects.filter(unit=unit)
    if start:
        records = records.filter(start_date__gte=start)
    if end:
        records = records.filter(start_date__lte=end)
    return records


def export_rows(kind, unit, *, full_id=False, start=None, end=None):
    """Rows of plain values (numbers stay numbers), in the import template's column order first.

    Choices are written in Chinese whatever the page's language: the import reads them back."""
    records = export_queryset(kind, unit, start, end).order_by("start_date", "volunteer__name", "id")
    show_id = (lambda number: number) if full_id else masking.mask_id

    def person(number, name, consent):
        """Someone who has not accepted the unit is exported masked, as every page shows them."""
        if consent != Consent.GIVEN:
            return masking.mask_id(number), masking.mask_name(name)
        return show_id(number), name

    if kind == SERVICE:
        statuses = source_labels(ServiceRecord.Status.choices)
        consents = source_labels(Consent.choices)
        fields = ("volunteer__national_id", "volunteer__name", "service_item", "content", "start_date", "end_date",
                  "hours", "status", "registrant__name", "created_at", "consent")
        for number, name, item, content, start_date, end_date, hours, status, registrant, created, consent in (
            records.values_list(*fields).iterator(chunk_size=2000)
        ):
            shown = consents[consent] if consent else statuses.get(status, status)
            yield [*person(number, name, consent), item, content, rocdate.format(start_date),
                   rocdate.format(end_date), hours, shown, registrant or "", rocdate.format_datetime(created)]
    else:
        kinds = source_labels(TrainingRecord.Kind.choices)
        categories = source_labels(ServiceCategory.choices)
        fields = ("volunteer__national_id", "volunteer__name", "kind", "category", "course", "organiser",
                  "start_date", "end_date", "sessions", "minutes", "certificate_number", "registrant__name",
                  "created_at", "consent")
        for (number, name, kind_value, category, course, organiser, start_date, end_date, sessions, minutes,
             certificate, registrant, created, consent) in records.values_list(*fields).iterator(chunk_size=2000):
            yield [*person(number, name, consent), kinds.get(kind_value, kind_value),
                   categories.get(category, category),
                   course, organiser, rocdate.format(start_date), rocdate.format(end_date), sessions,
                   training_hours(minutes), certificate, registrant or "", rocdate.format_datetime(created)]


def training_hours(minutes):
    """Minutes as the import reads them back: 90 → 1.5, 80 → `1:20`."""
    if minutes % 6 == 0:
        value = minutes / 60
        return int(value) if value.is_integer() else round(value, 1)
    return f"{minutes // 60}:{minutes % 60:02d}"


def neutralise(value):
    """A text cell that Excel would treat as a formula gets a leading apostrophe (CSV)."""
    if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
        return "'" + value
    return value


def write_xlsx(kind, header, rows):
    """A write-only workbook in a temporary file (rewound), so 100,000 rows never sit in memory."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(KIND_LABELS[kind]))
    sheet.freeze_panes = "A2"
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return handle


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return float(value) if hasattr(value, "as_tuple") else value  # Decimal → number
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(RISKY_PREFIXES) or value.startswith("#"):
        # Kept as typed, but stored as text with Excel's quote prefix: never a formula, even when edited.
        cell = WriteOnlyCell(sheet)
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def csv_chunks(header, rows, chunk_rows=500):
    """UTF-8 with BOM, CRLF line ends, risky text neutralised; yields strings for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(_csv_value(value)) for value in row])
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_value(value):
    if hasattr(value, "as_tuple"):  # Decimal
        return hours_lib.format_hours(value)
    return value


def export_file_name(kind, unit, extension, today):
    code = unit.code or str(unit.pk)
    return f"{code}-{KIND_LABELS[kind]}-{rocdate.format(today).replace('/', '')}.{extension}"


__all__ = [
    "SERVICE", "TRAINING", "XLSX_CONTENT_TYPE", "build_template", "csv_chunks", "export_file_name", "export_header",
    "export_queryset", "export_rows", "neutralise", "write_xlsx",
]
