"""Spreadsheet import (.xlsx or .ods) of service hours and training: read the file, check every row, commit all
or nothing.

Plain functions in three steps, so the web page, the shell command and the benchmark share them:

1. `read_file(source)` opens an xlsx or an ods with python-calamine (about 11x faster than openpyxl),
   refuses what is not a safe spreadsheet (a PDF or CSV renamed, an old .xls, formulas, a zip bomb, a
   sheet reaching beyond the rows and columns an import may have, an ods declaring a million repeated
   rows: `inspect_file`, before calamine sees the file; an .ods passes the same limits as an .xlsx)
   and cleans every row without touching the database: ID checksum, ROC dates, hours, lengths. It
   raises `ImportFileError` for a file that cannot be read at all.
2. `validate(sheet, unit)` adds what needs the database, with a handful of set lookups and never a
   query per row: unknown ID, not an active member, the name not matching the ID, duplicates and
   overlaps within the file and against the unit's existing records.
3. `commit(check, registrant)` writes every row or none, in one transaction, in batches of 5,000,
   and writes one audit entry that summarises the import.

`import_file()` runs the three in one transaction (the unit row locked, so two imports of the same
unit never interleave). Every message is in the language active when it is built (the request's) and
may be shown as it is. The column headings, their aliases, the examples and the words a cell may hold
(基礎訓練, 社會福利類…) are the file format and stay Chinese in every language.
"""

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import operator
import re
import zipfile
import zlib
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from volnet.audit import log as audit
from volnet.dbrouter import replica_reads
from volnet.errors import DomainError
from volnet.lib import hours as hours_lib
from volnet.lib import rocdate, safezip, twid
from volnet.lib.text import fold_width
from volnet.lib.words import join_list
from volnet.records import services
from volnet.records.choices import ServiceCategory, source_labels
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.signals import changed
from volnet.units import operating
from volnet.units.models import Membership, Unit

SERVICE = "service"
TRAINING = "training"
KIND_LABELS = {SERVICE: gettext_lazy("服務時數"), TRAINING: gettext_lazy("教育訓練")}

BATCH_SIZE = 5_000
MAX_ROWS = 200_000
LOOKUP_CHUNK = 900  # stay under SQLite's bound-parameter limit on old builds
HEADER_SEARCH_ROWS = 10

# What the zip and XML guard (volnet.lib.safezip) lets through to calamine, which allocates the whole
# rectangle a sheet's cells span: one cell at XFD1048576 beside A1 asks for 512 GB and aborts.
# Rows: the header may sit in any of the first 10 rows, then MAX_ROWS rows of data.
MAX_SHEET_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS
# Columns: the widest template (教育訓練) has 11; a user's own notes beside it fit up to Z. At most
# 200,010 × 26 cells keeps calamine's grid under about 170 MB, what a full legitimate file costs.
MAX_COLUMNS = 26
MAX_COLUMN_LETTERS = "Z"
# A real 200,000-row sheet is about 80 MB of XML (7 columns of inline text, measured) and at most about
# 150 MB with the training template's 11; anything bigger is a zip bomb or not ours.
MAX_MEMBER_BYTES = 300 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# An xlsx from Excel holds 10 to 30 parts, a few hundred with many sheets and pictures.
MAX_MEMBERS = 1_000
# A full import (200,000 rows × 11 cells, each a <c> with its <v> or <is><t>) is under 10 million
# elements; each costs the guard about 0.7 µs.
MAX_XML_ELEMENTS = 12_000_000

ERROR = "error"
WARNING = "warning"
OK = "ok"


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (volnet.errors.DomainError); the message comes first here."""

    def __init__(self, message, code="invalid"):
        super().__init__(code, message)


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    title: str  # as written in the template's header row (file format: Chinese in every language)
    aliases: tuple = ()
    required: bool = True  # the column must be present in the header
    help: str = ""  # lazy: read in the language of whoever downloads the template
    example: str = ""  # a value the import accepts, so Chinese like the headings
    width: int = 14
    text: bool = True  # the template formats the column as text (IDs, dates, words), not as numbers
    choices: tuple = ()  # the template's strict drop-down: the only words the cell may hold (file format)
    number: str = ""  # "whole": the template checks for a whole number of at least 0

    @property
    def names(self):
        return {normalise_header(name) for name in (self.title, *self.aliases)}


# zh-only: headings the import matches in a file (file format)
_ID_ALIASES = ("身分證字號", "身分證號碼(居留證號碼)", "身分證統一編號", "居留證號碼", "身分證號", "統一證號",
               "身分證統一編號或護照號碼", "身分證號碼或護照號碼", "護照號碼")

# zh-only: titles, aliases and examples are the file format; each help is translated (gettext_lazy)
SERVICE_COLUMNS = (
    Column("national_id", "身分證號碼", _ID_ALIASES, help=gettext_lazy("10 碼，例如 A123456789"),
           example="E122333441", width=16),
    Column("name", "姓名", ("志工姓名",), required=False, help=gettext_lazy("用來核對，不符時會提醒"),
           example="測試熊", width=12),
    Column("service_item", "服務項目", help=gettext_lazy("例如 綜合服務、老人服務"), example="綜合服務", width=16),
    Column("content", "服務內容", help=gettext_lazy("最多 200 字"), example="電話問安", width=28),
    Column("start", "服務起日(民國)", ("服務起日", "服務日期", "起日", "開始日期"),
           help=gettext_lazy("民國年，例如 114/03/01"), example="114/03/01"),
    Column("end", "服務迄日(民國)", ("服務迄日", "迄日", "結束日期"), required=False,
           help=gettext_lazy("空白表示與起日同一天"), example="114/03/01"),
    Column("hours", "服務時數", ("時數",), help=gettext_lazy("大於 0，最多一位小數，每天最多 24 小時"),
           example="3.5", width=10, text=False),
)

# zh-only: titles, aliases and examples are the file format; each help is translated (gettext_lazy)
TRAINING_COLUMNS = (
    Column("national_id", "身分證號碼", _ID_ALIASES, help=gettext_lazy("10 碼，例如 A123456789"),
           example="E122333441", width=16),
    Column("name", "姓名", ("志工姓名",), required=False, help=gettext_lazy("用來核對，不符時會提醒"),
           example="測試熊", width=12),
    Column("kind", "訓練類別", ("訓練類別(基礎/特殊)", "類別"),
           help=gettext_lazy("基礎訓練、特殊訓練、在職訓練或其他訓練"), example="特殊訓練", width=12),
    Column("category", "特殊訓練類別", ("特殊訓練服務類別",), required=False,
           help=gettext_lazy("特殊訓練必填，例如 社會福利類"), example="社會福利類", width=14),
    Column("course", "訓練課程", ("課程名稱", "課程"), help=gettext_lazy("最多 120 字"),
           example="社會福利類特殊訓練", width=24),
    Column("organiser", "訓練單位", ("主辦單位", "辦理單位"), help=gettext_lazy("最多 120 字"),
           example="臺中市志願服務推廣中心", width=22),
    Column("start", "訓練起日(民國)", ("訓練起日", "起日", "開始日期"), help=gettext_lazy("民國年，例如 114/03/01"),
           example="114/03/01"),
    Column("end", "訓練迄日(民國)", ("訓練迄日", "迄日", "結束日期"), required=False, help=gettext_lazy("可空白"),
           example="114/03/02"),
    Column("sessions", "訓練次數", ("次數",), required=False, help=gettext_lazy("空白為 1 次"), example="2",
           width=10, text=False),
    Column("hours", "訓練時數", ("時數",), help=gettext_lazy("小時，例如 6 或 1.5；也可寫 1:20"), example="12",
           width=10, text=False),
    Column("certificate", "結業證書字號", ("證書字號",), required=False, help=gettext_lazy("最多 60 字"),
           example="中市志推字第1140001號", width=22),
)

COLUMNS = {SERVICE: SERVICE_COLUMNS, TRAINING: TRAINING_COLUMNS}  # every registered kind's (register())


@dataclasses.dataclass(frozen=True)
class ImportKind:
    """What one kind of row needs beside the shared machinery (reading, limits, staging, progress, audit).

    clean(cleaner, text, raw, row, titles): the kind's cells of one row, after the ID number and the name.
    validate(sheet, unit, progress=None): check the rows against the database in place (set lookups).
    commit(check, *, registrant, request, progress): write every row (inside the import's transaction);
    returns (rows written, a dict the audit entry adds). Raise RowsRefused after adding errors to rows
    to leave the whole file unwritten.
    rules: the kind's lines of the template's 填寫說明; template_name: the downloaded file's name;
    done: count → the sentence said after the import (both lazy or translated when called)."""

    key: str
    label: object
    columns: tuple
    clean: object
    validate: object
    commit: object
    rules: tuple = ()
    template_name: object = ""
    done: object = None
    mismatch_candidate: bool = True  # another kind's file chosen as this one is named as such


KINDS = {}


def register(kind):
    """Add a kind of import (records registers hours, training and insurance; people, the volunteers)."""
    KINDS[kind.key] = kind
    COLUMNS[kind.key] = kind.columns
    KIND_LABELS[kind.key] = kind.label
    return kind


class RowsRefused(Exception):
    """Raised by a kind's commit after marking rows that the database refused at the last moment."""


# zh-only: the words a 訓練類別 cell may hold (file format)
TRAINING_KIND_NAMES = {
    "基礎": TrainingRecord.Kind.BASIC,
    "基礎訓練": TrainingRecord.Kind.BASIC,
    "特殊": TrainingRecord.Kind.SPECIAL,
    "特殊訓練": TrainingRecord.Kind.SPECIAL,
    "在職": TrainingRecord.Kind.IN_SERVICE,
    "在職訓練": TrainingRecord.Kind.IN_SERVICE,
    "其他": TrainingRecord.Kind.OTHER,
    "其他訓練": TrainingRecord.Kind.OTHER,
}


@functools.cache
def category_names():
    """The words a 特殊訓練類別 cell may hold → the category: 社會福利類 or 社會福利, whatever the language."""
    names = {}
    for value, label in source_labels(ServiceCategory.choices).items():
        names[label] = value
        names[label.removesuffix("類")] = value  # zh-only: 社會福利 is accepted for 社會福利類 (file format)
    return names


# Each text column's limit is its model field's.
TEXT_LIMITS = {
    key: model._meta.get_field(name).max_length
    for key, model, name in [
        ("service_item", ServiceRecord, "service_item"), ("content", ServiceRecord, "content"),
        ("course", TrainingRecord, "course"), ("organiser", TrainingRecord, "organiser"),
        ("certificate", TrainingRecord, "certificate_number"),
    ]
}


# ---------------------------------------------------------------------------------------------------
# Results


@dataclasses.dataclass(slots=True)
class RowResult:
    """One data row: where it is in the sheet, what it says, what is wrong, and what would be saved."""

    line: int  # the row number Excel shows
    cells: tuple  # display text of each template column, in template order
    errors: list = dataclasses.field(default_factory=list)
    warnings: list = dataclasses.field(default_factory=list)
    data: dict = dataclasses.field(default_factory=dict)  # cleaned values (only the valid ones)

    @property
    def status(self):
        if self.errors:
            return ERROR
        return WARNING if self.warnings else OK


@dataclasses.dataclass
class Sheet:
    """What `read_file` found: the kind, the rows (cleaned, not yet checked against the database)."""

    kind: str
    rows: list
    sheet_name: str = ""
    notices: list = dataclasses.field(default_factory=list)  # file-level remarks (ignored columns…)
    sha256: str = ""

    @property
    def columns(self):
        return COLUMNS[self.kind]


@dataclasses.dataclass
class ImportCheck:
    kind: str
    unit: Unit
    rows: list
    notices: list = dataclasses.field(default_factory=list)
    sha256: str = ""
    summary: dict = dataclasses.field(default_factory=dict)  # what the commit adds to its audit entry

    @property
    def columns(self):
        return COLUMNS[self.kind]

    @property
    def error_count(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def warning_count(self):
        return sum(1 for row in self.rows if row.warnings and not row.errors)

    @property
    def ok(self):
        return bool(self.rows) and not any(row.errors for row in self.rows)


@dataclasses.dataclass
class ImportOutcome:
    check: ImportCheck
    created: int = 0


# ---------------------------------------------------------------------------------------------------
# Step 1: read the file (no database)


def normalise_header(text):
    """`服務起日（民國）*` → `服務起日(民國)`; full-width folded; spaces, required-field stars and line breaks
    ignored."""
    return re.sub(r"[\s*]+", "", fold_width(text))


def file_sha256(data):
    return hashlib.sha256(data).hexdigest()


def read_file(source, kind=None, *, max_rows=MAX_ROWS, today=None, progress=None):
    """Open an xlsx or ods (a path, bytes or a binary file object) and clean every row. Raises ImportFileError."""
    data = _read_bytes(source)
    book = _open_book(data)
    with _reading(book):
        sheet_name, header_line, mapping, rows_iter = _find_table(book, kind)
        found_kind = mapping.kind
        sheet = Sheet(kind=found_kind, rows=[], sheet_name=sheet_name, notices=mapping.notices,
                      sha256=file_sha256(data))
        cleaner = RowCleaner(found_kind, today=today)
        columns = COLUMNS[found_kind]
        pick = _picker([mapping.index.get(column.key) for column in columns])
        clean, append = cleaner.clean, sheet.rows.append
        line = header_line
        count = 0
        for raw in rows_iter:
            line += 1
            row = clean(line, pick(raw))
            if row is None:  # a blank row
                continue
            count += 1
            if count > max_rows:
                raise _too_many_rows(max_rows)
            append(row)
            if progress is not None and count % 1000 == 0:
                progress(1000)
        if progress is not None:
            progress(count % 1000)
    if not sheet.rows:
        raise ImportFileError(
            _("工作表「%(sheet)s」只有標題列，沒有任何資料。請從第 %(line)s 列開始填寫，每位志工一列。")
            % {"sheet": sheet_name, "line": header_line + 1},
            code="no_rows",
        )
    return sheet


@contextlib.contextmanager
def _reading(book):
    """Reading an opened book: anything calamine raises is a damaged file; the book is closed in the end."""
    try:
        yield
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("檔案無法讀取，可能已損毀。請用試算表軟體開啟後另存新檔再上傳。"),
                              code="corrupt") from None
    finally:
        book.close()


def _too_many_rows(max_rows):
    return ImportFileError(ngettext("資料超過 %(count)s 列，請分成幾個檔案上傳。",
                                    "資料超過 %(count)s 列，請分成幾個檔案上傳。",
                                    max_rows) % {"count": f"{max_rows:,}"}, code="too_many_rows")


def _open_book(data):
    """The guarded file (`inspect_file`: no formula, no zip bomb, within the grid) opened by calamine."""
    formula_cells = inspect_file(data)
    if formula_cells:
        shown = join_list(formula_cells[:10]) + ("…" if len(formula_cells) > 10 else "")
        raise ImportFileError(
            _("檔案含有公式（儲存格 %(cells)s）。為防範公式注入，系統不接受公式：請在試算表軟體複製這些儲存格後，"
              "用「選擇性貼上 → 值」改成純文字或數字，再重新上傳。") % {"cells": shown},
            code="formula",
        )
    try:
        from python_calamine import CalamineWorkbook

        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:
        raise ImportFileError(_("檔案已損毀或不是有效的試算表（.xlsx 或 .ods），請用試算表軟體開啟後另存新檔再上傳。"),
                              code="corrupt") from None


@dataclasses.dataclass
class Table:
    """What `read_table` found in a file of another template: each data row as (line, texts in `columns`
    order), blank rows left out."""

    rows: list
    sheet_name: str = ""
    notices: list = dataclasses.field(default_factory=list)
    sha256: str = ""


def read_table(source, columns, *, max_rows=MAX_ROWS):
    """A spreadsheet (.xlsx or .ods) of another template than the hours and training ones (e.g. the honor
    card's venues): the same guard, reader, header search and messages, each cell as display text; the
    caller cleans and checks the rows. Raises ImportFileError."""
    data = _read_bytes(source)
    book = _open_book(data)
    with _reading(book):
        sheet_name, line, index, notices, rows_iter = _find_header(book, columns)
        pick = _picker([index.get(column.key) for column in columns])
        table = Table(rows=[], sheet_name=sheet_name, notices=notices, sha256=file_sha256(data))
        for raw in rows_iter:
            line += 1
            texts = tuple(v.strip() if type(v) is str else display_text(v) for v in pick(raw))
            if not any(texts):
                continue
            if len(table.rows) >= max_rows:
                raise _too_many_rows(max_rows)
            table.rows.append((line, texts))
    if not table.rows:
        raise ImportFileError(
            _("工作表「%(sheet)s」只有標題列，沒有任何資料。請從第 %(line)s 列開始填寫，每筆一列。")
            % {"sheet": sheet_name, "line": line + 1}, code="no_rows")
    return table


def _find_header(book, columns):
    """The first visible sheet whose first rows hold `columns`' header → (name, line, index, notices, rows)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    missing = None
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        rows = book.get_sheet_by_name(meta.name).iter_rows()
        for position, row in enumerate(rows, start=1):
            if position > HEADER_SEARCH_ROWS:
                break
            match = _match([normalise_header(value) for value in row], columns)
            if not match.index:
                continue
            if match.duplicated:
                raise ImportFileError(_("標題列有重複的欄位：%(columns)s。每個欄位只能出現一次。")
                                      % {"columns": join_list(match.duplicated)}, code="duplicate_column")
            if match.missing:
                missing = missing or match.missing
                continue
            notices = [_("下列欄位不在範本中，不會匯入：%(columns)s。") % {"columns": join_list(match.unknown)}
                       ] if match.unknown else []
            return meta.name, position, match.index, notices, rows
    if missing:
        raise ImportFileError(_("缺少必要欄位：%(columns)s。請下載範本，不要刪改標題列。")
                              % {"columns": join_list(missing)}, code="missing_columns")
    raise ImportFileError(_("找不到標題列。第一列應為欄位名稱：%(columns)s。請下載範本，將資料貼到範本中再上傳。")
                          % {"columns": join_list(column.title for column in columns)}, code="no_header")


def parse_date_text(text):
    """A ROC date typed in a cell (or a date cell as `display_text` shows it) → (date, None) or (None, message)."""
    return RowCleaner._parse_date(text, text)


def _picker(indexes):
    """row → the template's columns in order ("" for a column the file does not have)."""
    present = [i for i in indexes if i is not None]
    if len(present) == len(indexes) and len(indexes) > 1:
        getter = operator.itemgetter(*indexes)
        width = max(indexes) + 1

        def pick(raw):
            return getter(raw) if len(raw) >= width else tuple(raw[i] if i < len(raw) else "" for i in indexes)

        return pick
    return lambda raw: tuple(raw[i] if i is not None and i < len(raw) else "" for i in indexes)


def _read_bytes(source):
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        return source.read()
    with open(source, "rb") as handle:
        return handle.read()


# Lazy: `%` builds the message when a file is refused, in the language of that request.
_NOT_XLSX = gettext_lazy("「%(what)s」不是試算表（.xlsx 或 .ods）。請下載範本，用 Excel 或 LibreOffice 填好後"
                         "以 .xlsx 或 .ods 格式儲存再上傳。")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_KIND, ODS_KIND = "xlsx", "ods"


def sniff_xlsx(data):
    """Refuse anything that is not a zip, with a message saying what it looks like."""
    if not data:
        raise ImportFileError(_("檔案是空的（0 位元組）。"), code="empty_file")
    head = data[:8]
    if head.startswith(b"%PDF"):
        raise ImportFileError(_NOT_XLSX % {"what": _("PDF 檔")}, code="not_xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("這是舊版 Excel（.xls）或設有密碼保護的檔案。請移除密碼，並「另存新檔」為 .xlsx 或 .ods 格式再上傳。"),
            code="not_xlsx",
        )
    if not head.startswith(b"PK\x03\x04"):
        if _looks_like_text(data[:4096]):
            raise ImportFileError(
                _("這是純文字或 CSV 檔，不是試算表（.xlsx 或 .ods）。請用試算表軟體開啟後「另存新檔」為 .xlsx 或 .ods "
                  "再上傳。"),
                code="not_xlsx",
            )
        raise ImportFileError(_NOT_XLSX % {"what": _("這個檔案")}, code="not_xlsx")


def zip_limits():
    """The guard's limits, read when a file is checked (tests may lower them)."""
    return safezip.Limits(members=MAX_MEMBERS, member_bytes=MAX_MEMBER_BYTES, total_bytes=MAX_UNCOMPRESSED_BYTES,
                          elements=MAX_XML_ELEMENTS)


def inspect_file(data):
    """Every check made before calamine opens the file (.xlsx or .ods); returns the cells holding a formula.

    The zip is read as a stream (volnet.lib.safezip): member count and declared sizes first, then
    each member inflated in chunks, counted as it comes out and parsed if it is XML, refusing at the
    first limit passed: a real size over the limits or unlike the declared one, a DTD or entity,
    a cell beyond MAX_SHEET_ROWS × MAX_COLUMNS: in an xlsx a `<dimension>`, row or cell reference
    (`XlsxGrid`); in an ods a cell holding something at a row or column its repeats reach
    (`number-rows-repeated`, `number-columns-repeated`: `OdsGrid`, counted before anything is expanded).
    """
    sniff_xlsx(data)
    limits = zip_limits()
    try:
        with safezip.open_zip(io.BytesIO(data), limits) as archive:
            if _spreadsheet_kind(archive) == ODS_KIND:
                grid = safezip.OdsGrid(MAX_SHEET_ROWS, MAX_COLUMNS)
            else:
                grid = safezip.XlsxGrid(MAX_SHEET_ROWS, MAX_COLUMNS)
            budget = limits.total_bytes
            for info in archive.infolist():
                budget -= safezip.scan_member(archive, info, limits, budget=budget, watcher=grid)
    except safezip.Refused as refused:
        if refused.code == "corrupt":
            message = _("檔案已損毀或不完整，請用試算表軟體開啟後另存新檔再上傳。")
        else:
            message = safezip.message(refused)
        raise ImportFileError(message, code=refused.code) from None
    return grid.formulas


inspect_xlsx = inspect_file  # the name the tests and the benchmark knew


def _spreadsheet_kind(archive):
    """"xlsx" or "ods" by the parts the zip holds; any other zip is refused with what it looks like."""
    names = {info.filename for info in archive.infolist()}
    if "xl/workbook.xml" in names:
        return XLSX_KIND
    if "word/document.xml" in names:
        raise ImportFileError(_NOT_XLSX % {"what": _("Word 文件")}, code="not_xlsx")
    if "content.xml" in names:
        info = archive.getinfo("mimetype") if "mimetype" in names else None
        try:
            mimetype = archive.read(info).strip() if info is not None and info.file_size <= 100 else b""
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
            raise safezip.Refused("corrupt") from None
        if mimetype == ODS_MIMETYPE:
            return ODS_KIND
        raise ImportFileError(_NOT_XLSX % {"what": _("OpenDocument 文件")}, code="not_xlsx")
    raise ImportFileError(_NOT_XLSX % {"what": _("這個壓縮檔")}, code="not_xlsx")


def _looks_like_text(sample):
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("big5")
        except UnicodeDecodeError:
            return False
    return True


def find_formula_cells(data):
    """Cells holding a formula, e.g. ["D5", "E7"], found in the sheet XML (calamine only sees values)."""
    return inspect_file(data)


@dataclasses.dataclass
class _Mapping:
    kind: str
    index: dict  # column key → position in the row
    notices: list


def _find_table(book, kind):
    """The first visible sheet with a header row we recognise → (name, header line, mapping, row iterator)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [
        meta.name for meta in book.sheets_metadata
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
    ]
    if not sheets:
        raise ImportFileError(_("檔案中沒有可讀取的工作表。"), code="no_sheet")
    all_empty = True
    mismatch = None
    for name in sheets:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.iter_rows()
        for position, row in enumerate(rows, start=1):
            if position > HEADER_SEARCH_ROWS:
                break
            headers = [normalise_header(value) for value in row]
            if not any(headers):
                continue
            all_empty = False
            mapping = _map_columns(headers, kind)
            if mapping is None:
                continue
            if mapping.kind != kind and kind is not None:
                mismatch = mapping.kind
                break
            return name, position, mapping, rows
    if mismatch:
        raise ImportFileError(
            _("這份檔案的欄位是「%(found)s」，但您選擇匯入「%(chosen)s」。請改選「%(found)s」，或下載正確的範本。")
            % {"found": KIND_LABELS[mismatch], "chosen": KIND_LABELS[kind]},
            code="wrong_kind",
        )
    if all_empty:
        raise ImportFileError(_("工作表是空的，沒有標題列也沒有資料。請下載範本填寫後再上傳。"), code="empty_sheet")
    expected = join_list(column.title for column in COLUMNS[kind or SERVICE])
    raise ImportFileError(
        _("找不到標題列。第一列應為欄位名稱：%(columns)s。請下載範本，將資料貼到範本中再上傳。")
        % {"columns": expected},
        code="no_header",
    )


def _map_columns(headers, kind):
    """Match a header row against the template(s). None if it has no ID column at all."""
    id_names = SERVICE_COLUMNS[0].names  # every kind's first column is the ID number
    if not any(header in id_names for header in headers):
        return None
    candidates = [kind] if kind else [SERVICE, TRAINING]
    best = None
    for candidate in candidates:
        mapping = _match(headers, COLUMNS[candidate])
        score = len(mapping.index) - len(mapping.missing) * 10
        if best is None or score > best[0]:
            best = (score, candidate, mapping)
    _score, found_kind, mapping = best
    if kind and mapping.missing:
        # The chosen kind does not fit: does another one?
        for other in KINDS.values():
            if other.key != kind and other.mismatch_candidate and not _match(headers, other.columns).missing:
                return _Mapping(kind=other.key, index={}, notices=[])
    if mapping.duplicated:
        raise ImportFileError(
            _("標題列有重複的欄位：%(columns)s。每個欄位只能出現一次。") % {"columns": join_list(mapping.duplicated)},
            code="duplicate_column",
        )
    if mapping.missing:
        raise ImportFileError(
            _("缺少必要欄位：%(columns)s。請下載範本，不要刪改標題列。") % {"columns": join_list(mapping.missing)},
            code="missing_columns",
        )
    notices = []
    if mapping.unknown:
        notices.append(_("下列欄位不在範本中，不會匯入：%(columns)s。") % {"columns": join_list(mapping.unknown)})
    return _Mapping(kind=found_kind, index=mapping.index, notices=notices)


@dataclasses.dataclass
class _Match:
    index: dict
    missing: list
    unknown: list
    duplicated: list


def _match(headers, columns):
    index, unknown, duplicated = {}, [], []
    for position, header in enumerate(headers):
        if not header:
            continue
        column = next((c for c in columns if header in c.names), None)
        if column is None:
            unknown.append(header)
        elif column.key in index:
            duplicated.append(column.title)
        else:
            index[column.key] = position
    missing = [c.title for c in columns if c.required and c.key not in index]
    return _Match(index, missing, unknown, duplicated)


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------------
# Cleaning one row (pure; memoised, since IDs, dates and hours repeat thousands of times)


_WESTERN_YEAR = re.compile(r"^\s*(1[89]\d\d|20\d\d)\s*(?:[/\-.年]|\d{4}$)")  # zh-only: parses 2025年 in a cell


class RowCleaner:
    def __init__(self, kind, today=None):
        self.kind = kind
        self.columns = COLUMNS[kind]
        self.keys = tuple(column.key for column in self.columns)
        self.titles = {column.key: column.title for column in self.columns}
        self.kind_clean = KINDS[kind].clean
        self.today = today or timezone.localdate()
        self._ids = {}
        self._dates = {}
        self._hours = {}

    def clean(self, line, values):
        """One row → RowResult, or None for a row with nothing in it."""
        texts = tuple(value.strip() if type(value) is str else display_text(value) for value in values)
        if not any(texts):
            return None
        row = RowResult(line=line, cells=texts)
        keys, titles = self.keys, self.titles
        errors = row.errors
        data = row.data
        for key, value in zip(keys, texts, strict=True):
            if value[:1] == "=":
                errors.append(_("%(column)s：內容以「=」開頭，會被 Excel 當成公式，系統不接受（公式注入防護）。")
                              % {"column": titles[key]})
                return row
        raw = dict(zip(keys, values, strict=True))
        text = dict(zip(keys, texts, strict=True))

        number, problem = self._id(text["national_id"])
        if problem:
            errors.append(_column_problem(titles["national_id"], problem))
        else:
            data["national_id"] = number
        if text.get("name"):
            data["name"] = text["name"]

        self.kind_clean(self, text, raw, row, titles)
        return row

    def span(self, text, raw, row, titles):
        """The start and end columns: data["start"], data["end"] (None when the end is blank)."""
        errors, data = row.errors, row.data
        start, problem = self._date(raw["start"], text["start"])
        if problem:
            errors.append(_column_problem(titles["start"], problem))
        end = None
        if not _blank(raw.get("end")):
            end, problem = self._date(raw["end"], text["end"])
            if problem:
                errors.append(_column_problem(titles["end"], problem))
        if start and end and end < start:
            errors.append(_("迄日 %(end)s 早於起日 %(start)s，請確認。")
                          % {"end": rocdate.format(end), "start": rocdate.format(start)})
        elif start is not None:
            data["start"] = start
            data["end"] = end

    def date(self, key, text, raw, row, titles, *, required):
        """An optional or required date column into data[key]; False when it is wrong."""
        if _blank(raw.get(key)):
            if required:
                row.errors.append(_column_problem(titles[key], _("必填，格式如 114/03/01。")))
                return False
            row.data[key] = None
            return True
        value, problem = self._date(raw[key], text[key])
        if problem:
            row.errors.append(_column_problem(titles[key], problem))
            return False
        row.data[key] = value
        return True

    # -- the two kinds of records

    def _service(self, text, raw, row, titles):
        self.span(text, raw, row, titles)
        errors, data = row.errors, row.data
        for key in ("service_item", "content"):
            self._text(key, text[key], titles[key], row, required=True)
        start = data.get("start")
        if "start" in data:
            if data["end"] is None:
                data["end"] = start
            if data["end"] > self.today:
                errors.append(_("服務日期 %(date)s 晚於今天，不能登錄尚未發生的服務。")
                              % {"date": rocdate.format(data["end"])})
        hours, problem = self._hours_value(raw["hours"], text["hours"])
        if problem:
            errors.append(_column_problem(titles["hours"], problem))
            return
        data["hours"] = hours
        if "start" in data:
            days = (data["end"] - data["start"]).days + 1
            if hours > 24 * days:
                errors.append(ngettext(
                    "服務時數 %(hours)s 小時超過每日 24 小時的上限（%(days)s 天最多 %(limit)s 小時）。",
                    "服務時數 %(hours)s 小時超過每日 24 小時的上限（%(days)s 天最多 %(limit)s 小時）。",
                    days,
                ) % {"hours": hours_lib.format_hours(hours), "days": days, "limit": 24 * days})

    def _training(self, text, raw, row, titles):
        self.span(text, raw, row, titles)
        errors, data, warnings = row.errors, row.data, row.warnings
        kind_text = text["kind"].replace(" ", "")
        kind = TRAINING_KIND_NAMES.get(kind_text)
        if not kind_text:
            errors.append(_("%(column)s：請填寫基礎訓練、特殊訓練、在職訓練或其他訓練。") % {"column": titles["kind"]})
        elif kind is None:
            errors.append(_("%(column)s：「%(value)s」不是基礎訓練、特殊訓練、在職訓練或其他訓練。")
                          % {"column": titles["kind"], "value": _shorten(kind_text)})
        else:
            data["kind"] = kind
        category_text = text.get("category", "").replace(" ", "")
        category = ""
        if category_text:
            category = category_names().get(category_text)
            if category is None:
                # The words the cell may hold, as the file must say them.
                labels = join_list(source_labels(ServiceCategory.choices).values())
                errors.append(_("%(column)s：「%(value)s」不是可選的類別（%(choices)s）。")
                              % {"column": titles["category"], "value": _shorten(category_text), "choices": labels})
                category = ""
        if kind == TrainingRecord.Kind.SPECIAL and not category_text:
            errors.append(_("%(column)s：特殊訓練必須填寫類別，例如 社會福利類。") % {"column": titles["category"]})
        elif kind and kind != TrainingRecord.Kind.SPECIAL and category:
            warnings.append(_("%(column)s：只有特殊訓練需要類別，這一列的類別不會儲存。")
                            % {"column": titles["category"]})
            category = ""
        data["category"] = category
        for key in ("course", "organiser"):
            self._text(key, text[key], titles[key], row, required=True)
        self._text("certificate", text.get("certificate", ""), titles["certificate"], row, required=False)

        sessions_text = text.get("sessions", "")
        if not sessions_text:
            data["sessions"] = 1
        else:
            try:
                sessions = Decimal(sessions_text)
                if sessions != sessions.to_integral_value() or not 1 <= sessions <= 999:
                    raise InvalidOperation
                data["sessions"] = int(sessions)
            except (InvalidOperation, ValueError):
                errors.append(_("%(column)s：「%(value)s」應為 1 到 999 的整數。")
                              % {"column": titles["sessions"], "value": _shorten(sessions_text)})

        if "start" in data and data["start"] > self.today:
            warnings.append(_("訓練起日 %(date)s 晚於今天，請確認已完成訓練。")
                            % {"date": rocdate.format(data["start"])})
        minutes, problem = self._minutes(raw["hours"], text["hours"])
        if problem:
            errors.append(_column_problem(titles["hours"], problem))
            return
        data["minutes"] = minutes
        if "start" in data:
            days = ((data["end"] or data["start"]) - data["start"]).days + 1
            if minutes > 24 * 60 * days:
                errors.append(ngettext("訓練時數 %(minutes)s 超過每日 24 小時的上限（%(days)s 天）。",
                                       "訓練時數 %(minutes)s 超過每日 24 小時的上限（%(days)s 天）。", days)
                              % {"minutes": hours_lib.format_minutes(minutes), "days": days})

    # -- fields

    def _text(self, key, value, title, row, required, limit=None):
        if not value:
            if required:
                row.errors.append(_("%(column)s：必填，請填寫。") % {"column": title})
            else:
                row.data[key] = ""
            return
        limit = limit or TEXT_LIMITS[key]
        if len(value) > limit:
            row.errors.append(_("%(column)s：最多 %(limit)s 字，目前 %(length)s 字。")
                              % {"column": title, "limit": limit, "length": len(value)})
            return
        row.data[key] = value

    def _id(self, text):
        cached = self._ids.get(text)
        if cached is None:
            try:
                if twid.kind_of(text) and twid.checksum_ok(text):  # the usual case, without normalising
                    cached = (text, None)
                    self._ids[text] = cached
                    return cached
                cached = (twid.validate(text), None)
            except twid.IdNumberError as error:
                cached = (None, str(error))
            self._ids[text] = cached
        return cached

    def _date(self, value, text):
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        cached = self._dates.get(text)
        if cached is None:
            cached = self._parse_date(value, text)
            self._dates[text] = cached
        return cached

    @staticmethod
    def _parse_date(value, text):
        if isinstance(value, dt.time | dt.timedelta | bool):
            return None, _("「%(value)s」不是日期，格式如 114/03/01。") % {"value": _shorten(text)}
        if not text:
            return None, _("必填，格式如 114/03/01。")
        if _WESTERN_YEAR.match(text):
            return None, _("「%(value)s」看起來是西元年，請改用民國年，例如 114/03/01。") % {"value": _shorten(text)}
        try:
            return rocdate.parse(text), None
        except rocdate.RocDateError as error:
            return None, str(error)

    def _hours_value(self, value, text):
        cached = self._hours.get(text)
        if cached is None:
            if not text:
                cached = (None, _("必填，例如 3.5。"))
            elif isinstance(value, bool):
                cached = (None, _("「%(value)s」不是數字。") % {"value": text})
            else:
                try:
                    cached = (services.parse_hours(fold_width(text)), None)
                except ValueError as error:
                    cached = (None, str(error))
            self._hours[text] = cached
        return cached

    _CLOCK = re.compile(r"^(\d{1,3})[:：](\d{1,2})$")
    # zh-only: parses 1小時20分鐘 in a cell
    _WORDED = re.compile(r"^(?:(\d{1,3})\s*小時)?\s*(?:(\d{1,2})\s*分(?:鐘)?)?$")

    def _minutes(self, value, text):
        """Training time: `6`, `1.5` (hours), `1:20` or `1小時20分鐘` → minutes."""
        if not text:
            return None, _("必填，例如 6 或 1.5。")
        cleaned = fold_width(text).replace(" ", "")
        worded = "小時" in cleaned or "分" in cleaned  # zh-only: the units a cell may be written with
        match = self._CLOCK.match(cleaned) or (self._WORDED.match(cleaned) if worded else None)
        if match:
            hours_part, minutes_part = (int(part or 0) for part in match.groups())
            if minutes_part >= 60:
                return None, _("「%(value)s」的分鐘數應小於 60。") % {"value": _shorten(text)}
            minutes = hours_part * 60 + minutes_part
            if minutes <= 0:
                return None, _("時數必須大於 0。")
            return minutes, None
        hours, problem = self._hours_value(value, cleaned)
        if problem:
            return None, problem
        return int(hours * 60), None


def display_text(value):
    """What a cell says, as text: integral floats without `.0`, dates in ROC form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return rocdate.format(value.date())
    if isinstance(value, dt.date):
        return rocdate.format(value)
    return str(value).strip()


def _shorten(text, limit=20):
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _column_problem(column, problem):
    """`服務時數：必填，例如 3.5。`: a column's heading (as the file says it) and what is wrong with it."""
    return _("%(column)s：%(problem)s") % {"column": column, "problem": problem}


# ---------------------------------------------------------------------------------------------------
# Step 2: check against the database (set lookups, never a query per row)


def validate(sheet, unit, *, progress=None):
    """Check a read sheet against the database (its kind's rules): an ImportCheck."""
    refusal = operating.new_work_refusal(unit)
    if refusal is not None:  # at the upload and again at the commit: a unit may close in between
        raise ImportFileError(refusal, code="unit_closed")
    KINDS[sheet.kind].validate(sheet, unit, progress=progress)
    return ImportCheck(kind=sheet.kind, unit=unit, rows=sheet.rows, notices=list(sheet.notices), sha256=sheet.sha256)


def _validate_records(sheet, unit, *, progress=None):
    check_members(sheet, unit, progress=progress)
    if sheet.kind == SERVICE:
        _check_overlaps_service(sheet.rows, unit)
    else:
        _check_overlaps_training(sheet.rows, unit)


def check_members(sheet, unit, *, progress=None, awaiting=None):
    """Each row's ID number must be a volunteer serving in `unit`: data["volunteer_id"], or an error.
    `awaiting`: the message for someone the unit asked to join who has not answered (default: the hours')."""
    rows = sheet.rows
    numbers = {row.data["national_id"] for row in rows if "national_id" in row.data}
    people = {}  # national_id → (user id, name)
    User = get_user_model()
    for chunk in _chunks(sorted(numbers)):
        for pk, number, name in User.objects.filter(national_id__in=chunk).values_list("id", "national_id", "name"):
            people[number] = (pk, name)
    person_ids = [pk for pk, _name in people.values()]
    by_status = {status: set() for status in Membership.Status.values}
    for chunk in _chunks(person_ids):
        for volunteer_id, status in Membership.objects.filter(unit=unit, volunteer_id__in=chunk).values_list(
            "volunteer_id", "status"
        ):
            by_status[status].add(volunteer_id)
    active, ended, asked = (by_status[Membership.Status.ACTIVE], by_status[Membership.Status.ENDED],
                            by_status[Membership.Status.PENDING])

    titles = {column.key: column.title for column in sheet.columns}
    id_title, name_title = titles["national_id"], titles["name"]
    for position, row in enumerate(rows, start=1):
        if progress is not None and position % 1000 == 0:
            progress(1000)
        number = row.data.get("national_id")
        if number is None:
            continue
        person = people.get(number)
        if person is None:
            row.errors.append(_("%(column)s：系統中查無此志工，請先在「志工管理」新增後再匯入。")
                              % {"column": id_title})
            continue
        pk, name = person
        if pk not in active:
            if pk in asked:
                message = awaiting or _("%(column)s：這位志工尚未同意加入本單位；"
                                        "同意之前，請在「服務時數」或「教育訓練」逐筆登錄。")
            elif pk in ended:
                message = _("%(column)s：不是本單位服務中的志工（已離隊），請先在「志工管理」加入本單位。")
            else:
                message = _("%(column)s：不是本單位服務中的志工，請先在「志工管理」加入本單位。")
            row.errors.append(message % {"column": id_title})
            continue
        row.data["volunteer_id"] = pk
        given = row.data.get("name")
        if given and given.replace(" ", "") != name.replace(" ", ""):
            row.warnings.append(_("%(column)s：「%(given)s」與系統登載的姓名「%(name)s」不符，請確認身分證號碼。")
                                % {"column": name_title, "given": _shorten(given), "name": name})
    if progress is not None:
        progress(len(rows) % 1000)


def _chunks(items, size=LOOKUP_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _norm(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def _memo(function):
    """A per-call cache (not module-wide, so a long-running worker does not keep every import's text)."""
    cache = {}

    def cached(value):
        try:
            return cache[value]
        except KeyError:
            return cache.setdefault(value, function(value))

    return cached


def _check_overlaps_service(rows, unit):
    norm = _memo(_norm)

    def key(row):
        d = row.data
        if "volunteer_id" not in d or "start" not in d or "service_item" not in d or "content" not in d:
            return None
        return (d["volunteer_id"], norm(d["service_item"]), norm(d["content"]))

    candidates = [row for row in rows if key(row) is not None]
    existing = []
    if candidates:
        first = min(row.data["start"] for row in candidates)
        last = max(row.data["end"] for row in candidates)
        volunteers = sorted({row.data["volunteer_id"] for row in candidates})
        for chunk in _chunks(volunteers):
            existing.extend(
                ServiceRecord.objects.standing().filter(
                    unit=unit, volunteer_id__in=chunk, start_date__lte=last, end_date__gte=first
                ).values_list(
                    "volunteer_id", "service_item", "content", "start_date", "end_date", "hours"
                )
            )
    existing_items = [
        ((volunteer, norm(item), norm(content)), start, end, hours)
        for volunteer, item, content, start, end, hours in existing
    ]
    _sweep(candidates, key, existing_items, SERVICE)


def _check_overlaps_training(rows, unit):
    norm = _memo(_norm)

    def key(row):
        d = row.data
        if "volunteer_id" not in d or "start" not in d or "kind" not in d or "course" not in d:
            return None
        return (d["volunteer_id"], d["kind"], norm(d["course"]))

    candidates = [row for row in rows if key(row) is not None]
    existing = []
    if candidates:
        first = min(row.data["start"] for row in candidates)
        last = max(row.data["end"] or row.data["start"] for row in candidates)
        volunteers = sorted({row.data["volunteer_id"] for row in candidates})
        for chunk in _chunks(volunteers):
            existing.extend(
                TrainingRecord.objects.filter(unit=unit, volunteer_id__in=chunk, start_date__lte=last).values_list(
                    "volunteer_id", "kind", "course", "start_date", "end_date", "minutes"
                )
            )
    existing_items = [
        ((volunteer, kind, norm(course)), start, end or start, minutes)
        for volunteer, kind, course, start, end, minutes in existing
        if (end or start) >= first
    ]
    _sweep(candidates, key, existing_items, TRAINING)


def _sweep(candidates, key, existing_items, kind):
    """Per (volunteer, content) group, sort by date and flag every row that overlaps an earlier one.

    Rows of the file and records already in the database take part alike; an exact copy is reported as
    a duplicate, a partial overlap as an overlap. O(n log n), no query. `kind` words the messages.
    """
    groups = {}
    for row in candidates:
        d = row.data
        groups.setdefault(key(row), []).append((d["start"], d["end"] or d["start"], 1, row.line, row))
    for group_key, start, end, amount in existing_items:
        group = groups.get(group_key)
        if group is not None:
            group.append((start, end, 0, 0, (start, end, amount)))
    for items in groups.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda item: item[:4])
        holder = None  # the item reaching furthest so far
        for item in items:
            start, end, from_file, _line, ref = item
            if holder is not None and start <= holder[1]:
                _report_overlap(item, holder, kind)
            if holder is None or end > holder[1]:
                holder = item


def _report_overlap(item, holder, kind):
    start, end, from_file, _line, ref = item
    if from_file:
        row = ref
        if holder[2]:
            other = holder[4]
            if (other.data["start"], other.data["end"], _amount(other)) == (row.data["start"], row.data["end"],
                                                                            _amount(row)):
                row.errors.append(_("與第 %(line)s 列完全相同（重複列），請刪除其中一列。") % {"line": other.line})
            elif kind == SERVICE:
                row.errors.append(_("與第 %(line)s 列的日期重疊（同一位志工、相同服務項目與內容），"
                                    "請合併成一列或修正日期。")
                                  % {"line": other.line})
            else:
                row.errors.append(_("與第 %(line)s 列的日期重疊（同一位志工、相同類別與課程），"
                                    "請合併成一列或修正日期。")
                                  % {"line": other.line})
        else:
            row.errors.append(_existing_message(holder[4], kind))
    elif holder[2]:
        # A record already in the database starts inside a row of the file.
        row = holder[4]
        message = _existing_message(ref, kind)
        if message not in row.errors:
            row.errors.append(message)


def _amount(row):
    return row.data.get("hours", row.data.get("minutes"))


def _existing_message(existing, kind):
    start, end, _amount_value = existing
    if kind == SERVICE:
        message = _("與已登錄的紀錄（%(dates)s）日期重疊（同一位志工、相同服務項目與內容），可能重複匯入。")
    else:
        message = _("與已登錄的紀錄（%(dates)s）日期重疊（同一位志工、相同類別與課程），可能重複匯入。")
    return message % {"dates": rocdate.format_range(start, end)}


# ---------------------------------------------------------------------------------------------------
# Step 3: write everything or nothing


# Model field (attname) ← key of RowResult.data
SERVICE_FIELDS = {"volunteer_id": "volunteer_id", "service_item": "service_item", "content": "content",
                  "start_date": "start", "end_date": "end", "hours": "hours"}
TRAINING_FIELDS = {"volunteer_id": "volunteer_id", "kind": "kind", "category": "category", "course": "course",
                   "organiser": "organiser", "start_date": "start", "end_date": "end", "sessions": "sessions",
                   "minutes": "minutes", "certificate_number": "certificate"}


def commit(check, *, registrant=None, file_name="", source="web", request=None, progress=None):
    """Write every row of a clean check in one transaction (its kind's commit); one audit entry summing it
    up. Returns the count. RowsRefused: a row the database refused at the last moment (nothing written)."""
    if not check.ok:
        raise ValueError(_("只有全部列都正確的檔案才能匯入。"))
    with transaction.atomic(using=router.db_for_write(ServiceRecord)):
        created, summary = KINDS[check.kind].commit(check, registrant=registrant, request=request,
                                                     progress=progress)
        check.summary = summary
        audit.record(
            "records.import.committed",
            actor=registrant,
            unit=check.unit,
            changes={
                "kind": check.kind,
                "count": created,
                "file_name": file_name[:200],
                "sha256": check.sha256,
                "source": source,
                **summary,
            },
            request=request,
        )
    return created


def _commit_records(check, *, registrant, request, progress):
    model, mapping = (ServiceRecord, SERVICE_FIELDS) if check.kind == SERVICE else (TrainingRecord, TRAINING_FIELDS)
    constant = {
        "unit_id": check.unit.pk,
        "registrant_id": registrant.pk if registrant is not None else None,
        "created_at": timezone.now(),
    }
    created = insert_rows(model, constant, mapping, [row.data for row in check.rows], progress=progress)
    changed.send(sender=model, unit_ids=[check.unit.pk],
                 months={(row.data["start"].year, row.data["start"].month) for row in check.rows},
                 volunteer_ids={row.data["volunteer_id"] for row in check.rows if row.data.get("volunteer_id")})
    return created, {}


def insert_rows(model, constant, mapping, rows, *, progress=None):
    """INSERT the rows in batches of BATCH_SIZE with executemany; what `bulk_create` does, minus a model
    instance and an SQL compilation for each row. Measured on SQLite, 10,000 rows: 0.4 s against 6.2 s
    for building instances and `bulk_create`; for 100,000 rows that decides whether the import beats a
    bare openpyxl scan (bench/bench_import.py).

    `constant` holds the values every row shares; `mapping` maps a field's attname to a key of each row
    dict. Every other field gets its model default. Values pass through the field's own
    `get_db_prep_save`, memoised per distinct value (IDs, dates and hours repeat thousands of times).
    Must run inside a transaction; the database's CHECK constraints still guard every row.
    """
    db = router.db_for_write(model)
    connection = connections[db]
    fields = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    prototype = model(**constant)
    now = constant.get("created_at") or timezone.now()
    plan = []  # (row key, field, cache) for varying values; (None, prepared value, None) for constant ones
    for field in fields:
        if field.attname in mapping:
            plan.append((mapping[field.attname], field, {}))
            continue
        value = now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) \
            else getattr(prototype, field.attname)
        plan.append((None, field.get_db_prep_save(value, connection), None))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
    )

    def prepared(data):
        values = []
        for key, field, cache in plan:
            if key is None:
                values.append(field)
                continue
            value = data[key]
            try:
                values.append(cache[value])
            except KeyError:
                values.append(cache.setdefault(value, field.get_db_prep_save(value, connection)))
        return values

    created = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [prepared(data) for data in rows[start:start + BATCH_SIZE]]
            cursor.executemany(sql, batch)
            created += len(batch)
            if progress is not None:
                progress(len(batch))
    return created


def import_file(source, *, unit, registrant=None, kind=None, dry_run=False, file_name="", source_label="web",
                request=None, today=None, max_rows=MAX_ROWS, progress=None):
    """Read, check and (unless dry_run or any row is wrong) commit. Raises ImportFileError for a bad file.

    The unit row is locked for the check and the commit, so what was checked is what is written.
    """
    sheet = read_file(source, kind, max_rows=max_rows, today=today,
                      progress=progress.get("read") if progress else None)
    check = None
    try:
        with replica_reads(False), transaction.atomic(using=router.db_for_write(ServiceRecord)):
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            check = validate(sheet, unit, progress=progress.get("check") if progress else None)
            if not check.ok or dry_run:
                return ImportOutcome(check=check, created=0)
            created = commit(check, registrant=registrant, file_name=file_name, source=source_label,
                             request=request, progress=progress.get("write") if progress else None)
    except RowsRefused:
        return ImportOutcome(check=check, created=0)  # rolled back; the rows say why
    return ImportOutcome(check=check, created=created)


# The hours and the training: what differs is the cleaning, one line of the template and the sentence after.
_SERVING = gettext_lazy("志工須為本單位服務中的志工；新志工請先在「志工管理」加入。")
for _key, _clean, _rule, _template, _done in (
    (SERVICE, RowCleaner._service,
     gettext_lazy("服務時數大於 0、最多一位小數，每天最多 24 小時；同一志工相同服務項目與內容的日期不可重疊。"),
     gettext_lazy("服務時數匯入範本"),
     lambda count: ngettext("已匯入 %(count)s 筆服務時數（檔案：%(file)s）。",
                            "已匯入 %(count)s 筆服務時數（檔案：%(file)s）。", count)),
    (TRAINING, RowCleaner._training,
     gettext_lazy("特殊訓練必須填寫特殊訓練類別；訓練時數以小時計，例如 6、1.5 或 1:20（1 小時 20 分）。"),
     gettext_lazy("教育訓練匯入範本"),
     lambda count: ngettext("已匯入 %(count)s 筆教育訓練（檔案：%(file)s）。",
                            "已匯入 %(count)s 筆教育訓練（檔案：%(file)s）。", count)),
):
    register(ImportKind(_key, KIND_LABELS[_key], COLUMNS[_key], _clean, _validate_records, _commit_records,
                        rules=(_SERVING, _rule), template_name=_template, done=_done))
