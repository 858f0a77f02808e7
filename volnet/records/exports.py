"""Spreadsheet templates and exports of a unit's service hours and training, as xlsx or ods.

Both formats come from one writer (volnet.lib.spreadsheets): a template has its header, input prompts,
drop-down lists and number checks, and a sheet of instructions with an example row. The prompts and
instructions are in the language of whoever downloads the template; the headings, the drop-down values
and the example row are the import's file format and stay Chinese, and so does everything an export
writes (its first columns are the template's, to re-import).
Exports stream rows from the database into the writer (xlsx or ods) or a UTF-8 CSV with a
byte-order mark (so Excel opens Chinese correctly). ID numbers are masked unless
the caller asks for the full number. Text that Excel would run as a formula (starting with = + - @)
is neutralised: a leading apostrophe in CSV, a text cell with Excel's quote prefix in xlsx, a string
cell (which cannot hold a formula) in ods.
"""

import csv
import io

from django.utils.translation import gettext as _

from volnet.lib import hours as hours_lib
from volnet.lib import masking, rocdate, spreadsheets
from volnet.records.choices import SERVICE_ITEMS, ServiceCategory, source_labels
from volnet.records.imports import COLUMNS, KIND_LABELS, KINDS, SERVICE, TRAINING
from volnet.records.models import Consent, ServiceRecord, TrainingRecord

XLSX_CONTENT_TYPE = spreadsheets.CONTENT_TYPES[spreadsheets.XLSX]
TEMPLATE_ROWS = 2000  # rows that carry the prompts and drop-downs
RISKY_PREFIXES = spreadsheets.RISKY_PREFIXES


# ---------------------------------------------------------------------------------------------------
# Templates


def build_template(kind, file_format=spreadsheets.XLSX):
    """The import template for `kind` as xlsx or ods bytes: one data sheet and one 填寫說明 sheet."""
    columns = COLUMNS[kind]
    data = spreadsheets.Sheet(str(KIND_LABELS[kind]), rows=(), columns=[_template_column(kind, c) for c in columns],
                              prepared_rows=TEMPLATE_ROWS, header_style="banner")
    notes = spreadsheets.Sheet(_("填寫說明"), rows=_instructions(kind, columns), widths=(22, 70))
    with spreadsheets.write_book([data, notes], file_format) as handle:
        return handle.read()


def column_prompt(column):
    """What the column holds, and whether it may stay empty."""
    if column.required:
        return _("%(help)s（必填）") % {"help": column.help}
    return _("%(help)s（可空白）") % {"help": column.help}


def _template_column(kind, column):
    """The heading, width, text format, prompt and drop-down or number check of one template column."""
    options = {}
    if column.key == "service_item":
        # A suggestion list: other items are allowed, so no error message.
        options = {"choices": tuple(SERVICE_ITEMS)}
    elif column.key == "kind":
        # The list holds the words the import reads, whatever the language of the prompts.
        options = {"choices": tuple(source_labels(TrainingRecord.Kind.choices).values()), "strict": True,
                   "error": _("請從清單選擇：基礎訓練、特殊訓練、在職訓練或其他訓練。")}
    elif column.key == "category":
        options = {"choices": tuple(source_labels(ServiceCategory.choices).values()), "strict": True,
                   "error": _("請從清單選擇類別。")}
    elif column.key == "hours" and kind == SERVICE:
        options = {"number": "decimal", "minimum": 0, "warn": True, "error": _("時數必須大於 0，最多一位小數。")}
    elif column.key == "sessions":
        options = {"number": "whole", "minimum": 1, "maximum": 999, "error": _("請填 1 到 999 的整數。")}
    elif column.choices:
        options = {"choices": column.choices, "strict": True, "error": _("請從清單選擇。")}
    elif column.number == "whole":
        options = {"number": "whole", "minimum": 0, "error": _("請填 0 或正整數。")}
    return spreadsheets.Column(column.title, width=column.width, text=column.text and not column.number,
                               prompt=str(column_prompt(column))[:255], **options)


def _instructions(kind, columns):
    """The rows of the 填寫說明 sheet: the rules, each column's meaning, and an example."""
    Cell = spreadsheets.Cell
    yield [Cell(_("%(kind)s匯入範本：填寫說明") % {"kind": KIND_LABELS[kind]}, bold=True, size=14)]
    yield []
    rules = [
        _("請在「%(sheet)s」工作表由第 2 列起填寫，每列一筆，不要修改或刪除第 1 列的標題。")
        % {"sheet": KIND_LABELS[kind]},
        _("日期請用民國年，例如 114/03/01（也接受 1140301、114年3月1日或 Excel 日期格式）。"),
        _("不要使用公式；從別處複製時，請用「選擇性貼上 → 值」。含公式的檔案不會匯入。"),
        *(str(rule) for rule in KINDS[kind].rules),
        _("上傳後會先顯示預覽，列出每一列的問題；全部正確才能確認匯入，且整份檔案一次匯入。"),
    ]
    rules = [_("%(number)s. %(rule)s") % {"number": number, "rule": rule} for number, rule in enumerate(rules, 1)]
    for rule in rules:
        yield ["", Cell(rule, wrap=True)]
    yield []
    yield [Cell(_("欄位"), bold=True), Cell(_("說明"), bold=True)]
    for column in columns:
        yield [column.title, str(column_prompt(column))]
    yield []
    yield [Cell(_("範例（請勿填在本工作表）"), bold=True)]
    yield [Cell(column.title, bold=True) for column in columns]
    yield [column.example for column in columns]


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


def write_export(kind, header, rows, file_format=spreadsheets.XLSX):
    """The export as xlsx or ods in a temporary file (rewound), so 100,000 rows never sit in memory."""
    columns = [spreadsheets.Column(title, width=_EXPORT_WIDTHS.get(title, 14)) for title in header]
    return spreadsheets.write_book([spreadsheets.Sheet(str(KIND_LABELS[kind]), rows, columns)], file_format)


# The import template's widths for its columns in an export.
_EXPORT_WIDTHS = {column.title: column.width for columns in COLUMNS.values() for column in columns}


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
    "export_queryset", "export_rows", "neutralise", "write_export",
]
