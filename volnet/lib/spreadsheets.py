"""One writer for every spreadsheet VolNet offers: the same sheets as Excel (.xlsx) or OpenDocument (.ods).

Taiwan's government document standard is ODF (CNS 15251), so every template, export and roster comes in
both formats, written from one description:

    write_table(rows, columns, format="ods", sheet_name="志工名冊") → bytes
    write_book([Sheet(...), Sheet(...)], format="xlsx") → a rewound temporary file (streams 100,000 rows)

A `Column` has a heading, a width in characters, and optionally `text=True` (what is typed in the column
stays text: ID numbers with their letter, ROC dates like 114/03/01 that a spreadsheet would otherwise
read as a fraction or a date), a `prompt` shown when a cell is selected and a drop-down list of `choices`
(templates). A `Sheet` without columns holds free rows (an instructions sheet); `Cell(value, bold=True)`
styles one cell. Values: text, numbers (int, float, Decimal), dates (written as ROC text, as every page
shows them), None (an empty cell).

Text that a spreadsheet would run as a formula (= + - @ at the start) stays text in both: xlsx writes it
as a string with Excel's quote prefix, ods as an `office:value-type="string"` cell, which has no formula.
Characters XML cannot hold (control characters) are dropped; a tab inside a cell becomes a space in an
ods (readers drop `<text:tab/>`).

The ods part is written here as XML (content.xml streamed into the zip): odfpy builds a DOM of every cell
first, which for a 100,000-row export means millions of Python objects; the files it writes and ours are
the same ODF 1.2 that LibreOffice, Excel and python-calamine open (checked in the tests).
"""

import dataclasses
import datetime as dt
import io
import re
import tempfile
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from volnet.lib import rocdate

XLSX = "xlsx"
ODS = "ods"
FORMATS = (XLSX, ODS)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ODS: "application/vnd.oasis.opendocument.spreadsheet",
}
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, the same set).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]|[\ud800-\udfff]|[\ufffe\uffff]")
_SPACES = re.compile(r"  +")
_HEADER_FILL = "0B5394"
_SIZES = (12, 14, 16)  # the point sizes a Cell may ask for in an ods
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


@dataclasses.dataclass(frozen=True)
class Column:
    title: str
    width: int = 14  # characters
    text: bool = False  # typed values stay text (IDs, ROC dates)
    prompt: str = ""  # shown when a cell of the column is selected (templates)
    choices: tuple = ()  # a drop-down list (templates)
    strict: bool = False  # refuse what is not in `choices` (else the list only suggests)
    error: str = ""  # the refusal's message
    number: str = ""  # "decimal" or "whole": a number is expected (templates)
    minimum: object = None  # with `number`: the smallest allowed (exclusive for "decimal")
    maximum: object = None  # with `number`: the largest allowed
    warn: bool = False  # a value out of bounds is warned about, not refused


@dataclasses.dataclass(frozen=True)
class Cell:
    value: object
    bold: bool = False
    size: int = 0  # points; 0: the default
    wrap: bool = False


@dataclasses.dataclass
class Sheet:
    name: str
    rows: object = ()  # an iterable of lists of values (or Cells)
    columns: list = None  # the header row and each column's width and format; None: free rows
    widths: tuple = ()  # character widths of a sheet without columns
    prepared_rows: int = 0  # rows below the header that carry the prompts and drop-downs
    header_style: str = "plain"  # "plain": bold; "banner": white on blue, centred (templates)


def content_type(file_format):
    return CONTENT_TYPES[file_format]


def write_table(rows, columns, format=XLSX, sheet_name="Sheet1"):  # noqa: A002 - the caller's word
    """One sheet with a header row, as bytes."""
    with write_book([Sheet(sheet_name, rows, columns)], format) as handle:
        return handle.read()


def write_book(sheets, format=XLSX):  # noqa: A002
    """Every sheet in one file; returns a rewound temporary file (the caller closes it)."""
    if format not in FORMATS:
        raise ValueError(f"unknown spreadsheet format {format!r}")
    handle = tempfile.TemporaryFile()
    try:
        (_write_xlsx if format == XLSX else _write_ods)(sheets, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def plain(value):
    """A value as the cell holds it: str, int, float or None (dates as ROC text, Decimal as a number)."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return rocdate.format_datetime(value)
    if isinstance(value, dt.date):
        return rocdate.format(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float):
        return value
    return _ILLEGAL.sub("", str(value))


def safe_sheet_name(name):
    """What both formats accept as a sheet name: at most 31 characters, none of []:*?/\\'."""
    return _SHEET_NAME_BAD.sub("", str(name))[:31] or "Sheet1"


# ---------------------------------------------------------------------------------------------------
# xlsx (openpyxl, write-only: rows go to disk as they come)


def _write_xlsx(sheets, handle):
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(safe_sheet_name(spec.name))
        widths = [column.width for column in spec.columns] if spec.columns else list(spec.widths)
        for position, width in enumerate(widths, start=1):
            dimension = sheet.column_dimensions[get_column_letter(position)]
            dimension.width = width + 2
            if spec.columns and spec.columns[position - 1].text:
                dimension.number_format = "@"  # 114/03/01 and leading zeros stay as typed
        if spec.columns:
            sheet.freeze_panes = "A2"
            _xlsx_validations(sheet, spec)
            sheet.append([_xlsx_header(sheet, column, spec.header_style) for column in spec.columns])
        for row in spec.rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])
    book.save(handle)


def _xlsx_header(sheet, column, style):
    cell = WriteOnlyCell(sheet, value=plain(column.title))
    if style == "banner":
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    else:
        cell.font = Font(bold=True)
    if column.prompt:
        cell.comment = Comment(column.prompt, "VolNet")
    return cell


def _xlsx_validations(sheet, spec):
    if not spec.prepared_rows:
        return
    last = spec.prepared_rows + 1
    for position, column in enumerate(spec.columns, start=1):
        if not (column.prompt or column.choices or column.number):
            continue
        if column.number:
            validation = _xlsx_number(column)
        elif column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                        allow_blank=True, showErrorMessage=column.strict)
            if column.strict:
                validation.errorTitle = column.title[:32]
                validation.error = column.error[:255]
        else:
            validation = DataValidation(allow_blank=True)
        validation.showInputMessage = bool(column.prompt)
        validation.promptTitle = column.title[:32]
        validation.prompt = column.prompt[:255]
        letter = get_column_letter(position)
        validation.sqref = f"{letter}2:{letter}{last}"
        sheet.data_validations.append(validation)


def _xlsx_number(column):
    if column.maximum is not None:
        validation = DataValidation(type=column.number, operator="between", formula1=str(column.minimum),
                                    formula2=str(column.maximum), allow_blank=True)
    else:
        validation = DataValidation(type=column.number, operator="greaterThan", formula1=str(column.minimum),
                                    allow_blank=True)
    validation.showErrorMessage = True
    validation.errorStyle = "warning" if column.warn else "stop"
    validation.errorTitle = column.title[:32]
    validation.error = column.error[:255]
    return validation


def _xlsx_value(sheet, value):
    styled = value if isinstance(value, Cell) else None
    value = plain(value)
    risky = isinstance(value, str) and value.startswith((*RISKY_PREFIXES, "#"))
    if styled is None and not risky:
        return value
    cell = WriteOnlyCell(sheet)
    cell.value = value
    if risky:
        # Kept as typed, but stored as text with Excel's quote prefix: never a formula, even when edited.
        cell.data_type = "s"
        cell.quotePrefix = True
    if styled is not None:
        if styled.bold or styled.size:
            cell.font = Font(bold=styled.bold, size=styled.size or None)
        if styled.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


# ---------------------------------------------------------------------------------------------------
# ods (OpenDocument 1.2: mimetype, manifest, settings for the frozen header, content.xml streamed)

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>'
)
# Cell styles: ceH bold header, ceB banner header, ceT text format, ceb bold, ceW wrapped; ceS<n> bold n pt.
_STYLES = (
    '<number:text-style style:name="NText"><number:text-content/></number:text-style>'
    '<style:style style:name="ceH" style:family="table-cell"><style:text-properties fo:font-weight="bold" '
    'style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>'
    '<style:style style:name="ceB" style:family="table-cell"><style:table-cell-properties '
    f'fo:background-color="#{_HEADER_FILL}" fo:wrap-option="wrap" style:vertical-align="middle"/>'
    '<style:paragraph-properties fo:text-align="center"/>'
    '<style:text-properties fo:color="#ffffff" fo:font-weight="bold" style:font-weight-asian="bold" '
    'style:font-weight-complex="bold"/></style:style>'
    '<style:style style:name="ceT" style:family="table-cell" style:data-style-name="NText"/>'
    '<style:style style:name="ceb" style:family="table-cell"><style:text-properties fo:font-weight="bold" '
    'style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>'
    '<style:style style:name="ceW" style:family="table-cell"><style:table-cell-properties '
    'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
    '<style:style style:name="ceWb" style:family="table-cell"><style:table-cell-properties '
    'fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold" '
    'style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>'
)


def _write_ods(sheets, handle):
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The mimetype first and stored, so a reader knows the file by its first bytes.
        archive.writestr(zipfile.ZipInfo("mimetype"), CONTENT_TYPES[ODS], compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        names = [safe_sheet_name(spec.name) for spec in sheets]
        archive.writestr("settings.xml", _ods_settings(sheets, names))
        with archive.open("content.xml", "w", force_zip64=True) as member:
            writer = io.TextIOWrapper(io.BufferedWriter(member, 256 * 1024), encoding="utf-8", newline="")
            _ods_content(sheets, names, writer)
            writer.flush()
            writer.detach().flush()


def _ods_settings(sheets, names):
    """The header row frozen (as the xlsx's freeze panes) on every sheet that has one."""
    tables = "".join(
        f'<config:config-item-map-entry config:name={quoteattr(name)}>'
        '<config:config-item config:name="HorizontalSplitMode" config:type="short">0</config:config-item>'
        '<config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item>'
        '<config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item>'
        '<config:config-item config:name="ActiveSplitRange" config:type="short">2</config:config-item>'
        '<config:config-item config:name="PositionTop" config:type="int">0</config:config-item>'
        '<config:config-item config:name="PositionBottom" config:type="int">1</config:config-item>'
        '</config:config-item-map-entry>'
        for spec, name in zip(sheets, names, strict=True) if spec.columns
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-settings {_NS}office:version="1.2"><office:settings>'
        '<config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        '<config:config-item config:name="ViewId" config:type="string">view1</config:config-item>'
        f'<config:config-item-map-named config:name="Tables">{tables}</config:config-item-map-named>'
        '</config:config-item-map-entry></config:config-item-map-indexed>'
        '</config:config-item-set></office:settings></office:document-settings>'
    )


def _ods_content(sheets, names, out):
    write = out.write
    widths = []
    for spec in sheets:
        sheet_widths = [column.width for column in spec.columns] if spec.columns else list(spec.widths)
        widths.append(sheet_widths)
    distinct = sorted({width for sheet_widths in widths for width in sheet_widths})
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(f'<office:document-content {_NS}office:version="1.2"><office:automatic-styles>')
    for width in distinct:
        # A character of the default font is about 0.2 cm wide; two more as in the xlsx.
        write(f'<style:style style:name="co{width}" style:family="table-column">'
              f'<style:table-column-properties style:column-width="{(width + 2) * 0.2:.2f}cm"/></style:style>')
    write(_STYLES)
    for size in _SIZES:
        write(f'<style:style style:name="ceS{size}" style:family="table-cell"><style:text-properties '
              f'fo:font-size="{size}pt" fo:font-weight="bold" style:font-size-asian="{size}pt" '
              'style:font-weight-asian="bold"/></style:style>')
    write('</office:automatic-styles><office:body><office:spreadsheet>')
    validations = _ods_validations(sheets)
    if validations:
        write("<table:content-validations>")
        for name, column in validations.values():
            write(_ods_validation(name, column))
        write("</table:content-validations>")
    for number, (spec, name, sheet_widths) in enumerate(zip(sheets, names, widths, strict=True)):
        write(f"<table:table table:name={quoteattr(name)}>")
        for position, width in enumerate(sheet_widths):
            text = spec.columns and spec.columns[position].text
            write(f'<table:table-column table:style-name="co{width}" table:default-cell-style-name='
                  f'"{"ceT" if text else "Default"}"/>')
        if spec.columns:
            header = "ceB" if spec.header_style == "banner" else "ceH"
            write("<table:table-header-rows><table:table-row>")
            for column in spec.columns:
                write(_ods_cell(plain(column.title), header))
            write("</table:table-row></table:table-header-rows>")
        for row in spec.rows:
            write("<table:table-row>")
            write("".join(_ods_value(value) for value in row))
            write("</table:table-row>")
        if spec.columns and spec.prepared_rows:
            # Empty rows that carry each column's prompt and list, as the xlsx's validations do.
            write(f'<table:table-row table:number-rows-repeated="{spec.prepared_rows}">')
            for position, column in enumerate(spec.columns):
                found = validations.get((number, position))
                style = ' table:style-name="ceT"' if column.text else ""
                attribute = f' table:content-validation-name="{found[0]}"' if found else ""
                write(f"<table:table-cell{style}{attribute}/>")
            write("</table:table-row>")
        write("</table:table>")
    write("</office:spreadsheet></office:body></office:document-content>")


def _ods_validations(sheets):
    found = {}
    for number, spec in enumerate(sheets):
        if not (spec.columns and spec.prepared_rows):
            continue
        for position, column in enumerate(spec.columns):
            if column.prompt or column.choices or column.number:
                found[(number, position)] = (f"val{len(found) + 1}", column)
    return found


def _ods_validation(name, column):
    parts = [f'<table:content-validation table:name="{name}" table:allow-empty-cell="true"']
    if column.number:
        test = "of:cell-content-is-decimal-number()" if column.number == "decimal" \
            else "of:cell-content-is-whole-number()"
        if column.maximum is not None:
            test += f" and cell-content-is-between({column.minimum},{column.maximum})"  # as LibreOffice writes it
        else:
            test += f" and cell-content()>{column.minimum}"
        parts.append(f" table:condition={quoteattr(test)}")
    elif column.choices:
        listed = ";".join('"' + choice.replace('"', '""') + '"' for choice in column.choices)
        parts.append(f' table:condition={quoteattr("of:cell-content-is-in-list(" + listed + ")")}'
                     ' table:display-list="unsorted"')
    parts.append(">")
    if column.prompt:
        parts.append(f'<table:help-message table:title={quoteattr(column.title[:32])} table:display="true">'
                     f"<text:p>{escape(column.prompt)}</text:p></table:help-message>")
    if column.choices or column.number:
        shown = "true" if column.strict or column.number else "false"
        severity = "warning" if column.warn else "stop"
        parts.append(f'<table:error-message table:title={quoteattr(column.title[:32])} table:display="{shown}" '
                     f'table:message-type="{severity}"><text:p>{escape(column.error)}</text:p>'
                     '</table:error-message>')
    parts.append("</table:content-validation>")
    return "".join(parts)


def _ods_value(value):
    style = None
    if isinstance(value, Cell):
        if value.size:
            style = f"ceS{value.size if value.size in _SIZES else 14}"
        elif value.wrap:
            style = "ceWb" if value.bold else "ceW"
        elif value.bold:
            style = "ceb"
    return _ods_cell(plain(value), style)


def _ods_cell(value, style=None):
    styled = f' table:style-name="{style}"' if style else ""
    if value is None or value == "":
        return f"<table:table-cell{styled}/>"
    if isinstance(value, int | float):
        return (f'<table:table-cell{styled} office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    paragraphs = "".join(f"<text:p>{_ods_text(line)}</text:p>" for line in value.split("\n"))
    return f'<table:table-cell{styled} office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_text(line):
    """Text in a paragraph: runs of spaces and tabs as ODF writes them (a reader collapses plain ones)."""
    line = escape(line.replace("\r", "").replace("\t", " "))  # a tab in a cell: readers drop <text:tab/>
    if "  " in line or line.startswith(" ") or line.endswith(" "):
        line = _SPACES.sub(lambda match: " " + f'<text:s text:c="{len(match.group()) - 1}"/>', line)
        if line.startswith(" "):
            line = '<text:s/>' + line[1:]
        if line.endswith(" "):
            line = line[:-1] + "<text:s/>"
    return line
