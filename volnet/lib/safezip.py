"""Look inside an uploaded zip (an xlsx today, an ods tomorrow) before any library unpacks it.

A spreadsheet is a zip of XML parts, and the libraries that read one trust what it declares:
python-calamine allocates the whole rectangle a sheet's cells span (one cell at A1 and one at
XFD1048576 ask for 512 GB and abort the process), and a member of a few kilobytes can inflate to
gigabytes. The checks here read the archive as a stream and stop at the first limit passed:

1. `open_zip(source, limits)`: the end-of-archive record first (member count, size of the central
   directory), then every member's declared size, its compression (stored or deflate only) and
   encryption. Nothing is inflated yet.
2. `scan_member(archive, info, limits, budget, watcher)`: inflates the member's own compressed
   bytes in chunks with zlib, counting what comes out, and stops as soon as it passes the member's
   declared size (a lying header), the per-member limit or what is left of the whole archive's
   budget; the CRC is checked at the end. A member that looks like XML is parsed while it inflates
   by expat with every DTD refused (no entity can expand: billion laughs) and no token (a tag, an
   attribute, a comment) longer than `limits.token_bytes` (expat keeps a token whole in memory);
   each element is shown to `watcher.start(name, attributes)` (the name as "namespace local-name",
   the attributes as a flat list [name, value, name, value…]).
3. `check_member(path, name, limits, watcher)`: 1 and 2 for one member of a zip on disk.

`XlsxGrid` is the watcher for SpreadsheetML sheets: it follows the row and column each `<row>` and
`<c>` lands on (an explicit `r`, or one after the previous one, as readers do), checks every
`<dimension ref>`, refuses anything beyond the limits and notes the cells holding a formula.
`OdsGrid` is the one for OpenDocument tables, where a few bytes may declare a million rows or
columns (`table:number-rows-repeated`, `table:number-columns-repeated`) or spaces (`text:s text:c`):
it adds them up as they come, before any reader expands them.

`Refused.code` says what was wrong and `message(refused)` says it to a person, in the request's
language.
"""

import dataclasses
import io
import os
import re
import struct
import zipfile
import zlib
from xml.parsers import expat

from django.utils.translation import gettext as _

MIB = 1024 * 1024
CHUNK = MIB  # inflated bytes handed to the XML parser at a time
READ = 64 * 1024  # compressed bytes read at a time

_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


@dataclasses.dataclass(frozen=True)
class Limits:
    members: int  # entries in the archive
    member_bytes: int  # what one member may inflate to
    total_bytes: int  # what all members together may inflate to
    directory_bytes: int = MIB  # the central directory (a thousand entries take about 100 KB)
    token_bytes: int = 4 * MIB  # one XML tag, attribute or comment
    elements: int = 20_000_000  # XML elements a watcher is shown (about 0.7 µs each)
    # Spreadsheet XML deflates 5 to 30 times; past the first few MB, more than 100 times is a bomb
    # (deflate reaches about 1,000), refused at once instead of inflated to the size limit (300 MB
    # of zeros take about 2 s to inflate).
    ratio: int = 100
    ratio_after: int = 4 * MIB


class Refused(Exception):
    """The archive is refused; `code` says why, `detail` holds the figures a message names."""

    def __init__(self, code, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def message(refused):
    """What a person reads about a refusal, in the active language."""
    detail = refused.detail
    code = refused.code
    if code == "too_many_members":
        return _("這個檔案內含 %(count)s 個部分，超過上限 %(limit)s 個，不是一般的試算表檔案，無法匯入。") % {
            "count": f"{detail['count']:,}", "limit": f"{detail['limit']:,}"}
    if code == "too_large":
        return _("檔案解壓縮後過大，無法匯入。請分成幾個較小的檔案上傳。")
    if code == "size_mismatch":
        return _("檔案內容與它標示的大小不符，可能已損毀或被竄改，無法匯入。請用試算表軟體開啟後另存新檔再上傳。")
    if code == "unsupported":
        return _("檔案使用了加密或不支援的壓縮方式，無法讀取。請移除密碼，用試算表軟體另存新檔後再上傳。")
    if code == "xml_dtd":
        return _("檔案含有 XML 文件類型宣告（DTD），試算表不會有這種內容，為了安全無法匯入。"
                 "請用試算表軟體開啟後另存新檔再上傳。")
    if code == "out_of_range":
        return _(
            "工作表用到儲存格 %(cell)s，超出匯入的範圍：最多 %(rows)s 列、%(columns)s 欄（A 到 %(last)s 欄）。"
            "請刪除範圍外的儲存格（或只把資料複製到新的活頁簿），再上傳。"
        ) % {"cell": detail["cell"], "rows": f"{detail['rows']:,}", "columns": detail["columns"],
             "last": column_letters(detail["columns"])}
    return _("檔案已損毀或不完整，請用試算表軟體開啟後另存新檔再上傳。")


# ---------------------------------------------------------------------------------------------------
# The archive


def open_zip(source, limits):
    """A ZipFile over `source` (a path or a binary file object) once its directory is within limits."""
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as handle:
                _check_end_record(handle, limits)
        else:
            _check_end_record(source, limits)
            source.seek(0)
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error):
        raise Refused("corrupt") from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.members:  # the end record may understate it
            raise Refused("too_many_members", count=len(infos), limit=limits.members)
        total = 0
        for info in infos:
            if info.file_size > limits.member_bytes:
                raise Refused("too_large", member=info.filename)
            total += info.file_size
            if total > limits.total_bytes:
                raise Refused("too_large", member=info.filename)
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Refused("unsupported", member=info.filename)
    except Refused:
        archive.close()
        raise
    return archive


def _check_end_record(handle, limits):
    """Refuse a directory too long to list before zipfile builds an object for each of its entries."""
    count, directory = _end_record(handle)
    if count > limits.members:
        raise Refused("too_many_members", count=count, limit=limits.members)
    if directory > limits.directory_bytes:
        # The record understates the count: each directory entry takes at least 46 bytes.
        raise Refused("too_many_members", count=max(count, directory // 46), limit=limits.members)


def _end_record(handle):
    """(member count, central directory size) from the end-of-central-directory record (zip64 too)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_start = max(0, size - (_EOCD.size + 0xFFFF))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise Refused("corrupt")
    _sig, _disk, _disk_cd, _here, count, directory, _offset, _comment = _EOCD.unpack_from(tail, at)
    if count == 0xFFFF or directory == 0xFFFFFFFF:
        locator = at - _EOCD64_LOCATOR.size
        if locator < 0 or tail[locator:locator + 4] != b"PK\x06\x07":
            raise Refused("corrupt")
        _sig, _disk, record, _disks = _EOCD64_LOCATOR.unpack_from(tail, locator)
        if record < 0 or record + _EOCD64.size > size:
            raise Refused("corrupt")
        handle.seek(record)
        fields = _EOCD64.unpack(handle.read(_EOCD64.size))
        if fields[0] != b"PK\x06\x06":
            raise Refused("corrupt")
        count, directory = fields[7], fields[8]
    return count, directory


# ---------------------------------------------------------------------------------------------------
# One member


def check_member(path, name, limits, watcher=None):
    """Open the zip at `path` and scan its member `name` (see scan_member). Returns the real size."""
    with open_zip(path, limits) as archive:
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise Refused("corrupt", member=name) from None
        return scan_member(archive, info, limits, budget=limits.total_bytes, watcher=watcher)


def scan_member(archive, info, limits, *, budget, watcher=None):
    """Inflate `info` chunk by chunk, refusing as soon as it passes a limit; parse it if it is XML.

    `budget` is what the archive may still inflate to. Returns the member's real size. `watcher` needs
    `start(name, attributes)`; it may have `new_part()` (called first), `elements` (a count checked
    against `limits.elements`) and `binary_markers`: a member that does not start like XML is only
    counted, unless it holds one of those (calamine skips leading junk and reads the sheet behind it).
    """
    allowed = min(info.file_size, limits.member_bytes, budget)
    parser = None  # None: not yet known; False: not XML
    fed = 0
    size = 0
    crc = 0
    carry = b""
    markers = getattr(watcher, "binary_markers", ())
    counted = hasattr(watcher, "elements")
    if hasattr(watcher, "new_part"):
        watcher.new_part()
    for piece in _inflate(archive, info, limits):
        size += len(piece)
        if size > allowed:
            raise Refused("size_mismatch" if size > info.file_size else "too_large", member=info.filename)
        crc = zlib.crc32(piece, crc)
        if parser is None:
            start = (carry + piece).lstrip(b" \t\r\n")
            if not start:
                carry += piece[:16]  # only blanks so far: decide on the first byte that is not one
                continue
            parser = _xml_parser(watcher) if _looks_like_xml(start) else False
            if parser and carry:
                fed += _feed(parser, carry)
        if parser:
            fed += _feed(parser, piece)
            if fed - parser.CurrentByteIndex > limits.token_bytes:
                raise Refused("corrupt", member=info.filename)  # one token bigger than any sheet holds
            if counted and watcher.elements > limits.elements:
                raise Refused("too_large", member=info.filename)
        elif markers:
            window = carry + piece
            if any(marker in window for marker in markers):
                raise Refused("corrupt", member=info.filename)
            carry = window[-32:]
    if size != info.file_size:
        raise Refused("size_mismatch", member=info.filename)
    if crc != info.CRC:
        raise Refused("corrupt", member=info.filename)
    if parser:
        _feed(parser, b"", final=True)
    return size


def _inflate(archive, info, limits):
    """The member's inflated bytes, at most CHUNK at a time, from exactly its compressed bytes."""
    handle = archive.fp
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise Refused("corrupt", member=info.filename)
    fields = _LOCAL_HEADER.unpack(header)
    flags, method, _time, _date, crc, compressed, size, name_length, extra_length = fields[2:]
    if method != info.compress_type:
        raise Refused("size_mismatch", member=info.filename)
    if not flags & 0x8 and compressed != 0xFFFFFFFF and (compressed, size, crc) != (
            info.compress_size, info.file_size, info.CRC):
        raise Refused("size_mismatch", member=info.filename)  # the local header tells another story
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            block = handle.read(min(CHUNK, left))
            if not block:
                raise Refused("corrupt", member=info.filename)
            left -= len(block)
            yield block
        return
    inflater = zlib.decompressobj(-15)
    pending = b""
    out = 0
    while not inflater.eof:
        if not pending:
            if left <= 0:
                raise Refused("corrupt", member=info.filename)  # the stream stops short
            pending = handle.read(min(READ, left))
            if not pending:
                raise Refused("corrupt", member=info.filename)
            left -= len(pending)
        try:
            piece = inflater.decompress(pending, CHUNK)
        except zlib.error:
            raise Refused("corrupt", member=info.filename) from None
        pending = inflater.unconsumed_tail
        out += len(piece)
        if out > limits.ratio_after and out > limits.ratio * (info.compress_size - left - len(pending)):
            raise Refused("too_large", member=info.filename)
        if piece:
            yield piece


def _looks_like_xml(start):
    start = start.lstrip(b" \t\r\n")
    return start[:1] == b"<" or start.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<"))


def _refuse_dtd(*_args):
    raise Refused("xml_dtd")


def _xml_parser(watcher):
    parser = expat.ParserCreate(namespace_separator=" ")
    # What defusedxml does for expat: a DTD, an entity declaration or an external entity stops the parse.
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.ordered_attributes = True  # [name, value, name, value…]: cheaper than a dict per element
    if watcher is not None:
        parser.StartElementHandler = watcher.start
        if hasattr(watcher, "end"):
            parser.EndElementHandler = watcher.end
    return parser


def _feed(parser, data, final=False):
    try:
        parser.Parse(data, final)
    except expat.ExpatError:
        raise Refused("corrupt") from None
    return len(data)


# ---------------------------------------------------------------------------------------------------
# SpreadsheetML sheets

SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict
    "",
)
_OTHER, _CELL, _ROW, _DIMENSION, _GRID, _FORMULA = range(6)
_LOCAL_KINDS = {"c": _CELL, "row": _ROW, "dimension": _DIMENSION, "sheetData": _GRID}
_LETTERS = re.compile(r"^\$?([A-Za-z]{1,3})\$?$")
_DIGITS = "0123456789"
MAX_KNOWN_NAMES = 1_000


def column_letters(number):
    """3 → "C", 27 → "AA"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters):
    """"C" → 3, "AA" → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _attribute(attributes, name):
    """The value of `name` in expat's flat [name, value…] list, or None."""
    for position in range(0, len(attributes), 2):
        if attributes[position] == name:
            return attributes[position + 1]
    return None


class XlsxGrid:
    """Watches the elements of every XML part: cells and rows beyond the limits are refused.

    As python-calamine reads a sheet: rows and cells count only after a `<sheetData>` (by local name,
    whatever the namespace), a `<row>` without `r` is the one after the previous, a `<c>` without
    `r` the next column. Every `<dimension ref>` is checked too. `formulas` lists the first cells
    holding a formula (an `<f>` of the sheet's namespace), `formula_count` counts them all;
    `elements` counts the elements shown. `start` is a closure over local state: it runs for every
    element of a 100,000-row sheet (two million times), where attribute lookups would double its cost.
    """

    binary_markers = (b"sheetData",)
    formulas_kept = 11

    def __init__(self, max_rows, max_columns):
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.formulas = []
        self.formula_count = 0
        self.start, self.new_part, self._count = self._handlers()

    @property
    def elements(self):
        return self._count()

    def _handlers(self):
        kinds = {}
        # Column letters within the limit → number; others go through _column_of (refused or cached).
        columns = {column_letters(n): n for n in range(1, self.max_columns + 1)}
        max_rows = self.max_rows
        check = self._check
        elements = 0
        grid = False
        row = column = 0
        cell = ""

        def new_part():
            nonlocal grid, row, column, cell
            grid = False
            row = column = 0
            cell = ""

        def count():
            return elements

        def start(name, attributes):
            nonlocal elements, grid, row, column, cell
            elements += 1
            kind = kinds.get(name)
            if kind is None:
                kind = _kind(name, kinds)
            if not kind:
                return
            if kind == _CELL:
                if not grid:
                    return
                if not attributes:
                    ref = None
                else:
                    ref = attributes[1] if attributes[0] == "r" else _attribute(attributes, "r")
                if ref is None:
                    column += 1
                    cell = f"{column_letters(column)}{max(row, 1)}"
                    check(max(row, 1), column)
                    return
                letters = ref.rstrip(_DIGITS)
                digits = ref[len(letters):]
                found = columns.get(letters)
                if found is None or not digits or len(digits) > 7:
                    number, found = self._position(ref, columns)
                else:
                    number = int(digits)
                    if number > max_rows or number < 1:
                        check(number, found)
                column = found
                cell = ref
                if number > row:  # the next row without `r` comes after the furthest one seen
                    row = number
            elif kind == _ROW:
                if not grid:
                    return
                if not attributes:
                    number = None
                else:
                    number = attributes[1] if attributes[0] == "r" else _attribute(attributes, "r")
                if number is None:
                    row += 1
                elif number.isdigit() and len(number) <= 7:
                    row = int(number)
                else:
                    raise Refused("corrupt")
                column = 0
                if row > max_rows or row < 1:
                    check(row, 1)
            elif kind == _DIMENSION:
                for ref in (_attribute(attributes, "ref") or "").split(":"):
                    if ref.strip():
                        self._position(ref.strip(), columns)
            elif kind == _FORMULA:
                if grid:
                    self.formula_count += 1
                    if len(self.formulas) < self.formulas_kept:
                        self.formulas.append(cell)
            else:  # _GRID
                grid = True

        return start, new_part, count

    def _position(self, ref, columns):
        """"B12" → (12, 2), checked against the limits; anything unlike a cell is a damaged file."""
        letters = ref.rstrip(_DIGITS)
        digits = ref[len(letters):]
        match = _LETTERS.match(letters)
        if match is None or not digits or len(digits) > 7:
            raise Refused("corrupt")
        row, column = int(digits), column_number(match.group(1))
        self._check(row, column)
        if len(columns) < MAX_KNOWN_NAMES:
            columns[letters] = column
        return row, column

    def _check(self, row, column):
        if not (1 <= row <= self.max_rows and 1 <= column <= self.max_columns):
            raise Refused("out_of_range", cell=f"{column_letters(max(column, 1))}{max(row, 1)}",
                          rows=self.max_rows, columns=self.max_columns)


def _kind(name, kinds):
    namespace, _, local = name.rpartition(" ")
    kind = _LOCAL_KINDS.get(local, _OTHER)
    if local == "f" and namespace in SPREADSHEET_NAMESPACES:
        kind = _FORMULA
    if len(kinds) < MAX_KNOWN_NAMES:
        kinds[name] = kind
    return kind


# ---------------------------------------------------------------------------------------------------
# OpenDocument tables

ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE, _ODF_ROW, _ODF_CELL, _ODF_SPACES = (f"{ODF_TABLE} table", f"{ODF_TABLE} table-row",
                                                f"{ODF_TABLE} table-cell", f"{ODF_TEXT} s")
_ODF_COVERED = f"{ODF_TABLE} covered-table-cell"
_ROWS_REPEATED = f"{ODF_TABLE} number-rows-repeated"
_COLUMNS_REPEATED = f"{ODF_TABLE} number-columns-repeated"
_VALUE_TYPE = f"{ODF_OFFICE} value-type"
_ODF_FORMULA = f"{ODF_TABLE} formula"
_SPACE_COUNT = f"{ODF_TEXT} c"


class OdsGrid:
    """Watches content.xml of an OpenDocument spreadsheet: where every cell with something in it lands.

    A row or cell counts `number-rows-repeated` / `number-columns-repeated` times, as readers expand it.
    Empty repeats cost nothing (python-calamine skips trailing ones, and LibreOffice ends every sheet with
    an empty row repeated to row 1,048,576 and every row with empty cells to column 1024), so only a cell
    holding something, a value type, a formula or any content, is checked against `max_rows` ×
    `max_columns`, at its last repeated row and column, before any reader expands it. Spaces written as
    `<text:s text:c="n"/>` are added up and refused past `max_spaces`. A table inside a cell keeps its
    own count and leaves the outer one as it was. `formulas` lists the first cells holding a formula.
    """

    binary_markers = (b"table-row", b"table-cell")
    formulas_kept = 11

    def __init__(self, max_rows, max_columns, max_spaces=1_000_000):
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.max_spaces = max_spaces
        self.formulas = []
        self.formula_count = 0
        self.elements = 0
        self.spaces = 0
        self._tables = []  # (row, column, cell) of the tables around the current one
        self._row = 0  # the last row reached (repeats counted)
        self._row_first = 0
        self._column = 0  # the last column reached in the row
        self._cell = None  # (first column, last column, checked) of the cell being read
        self._depth = 0  # elements open inside the current cell

    def new_part(self):
        self._tables, self._row, self._row_first, self._column, self._cell, self._depth = [], 0, 0, 0, None, 0

    def start(self, name, attributes):
        self.elements += 1
        if name == _ODF_TABLE:
            self._filled()  # a table inside a cell fills it
            self._tables.append((self._row, self._row_first, self._column, self._cell, self._depth))
            self._row = self._row_first = self._column = 0
            self._cell, self._depth = None, 0
            return
        if self._cell is not None:  # anything inside a cell: text, a span, a note…
            self._depth += 1
            self._filled()
            if name == _ODF_SPACES:
                self._add_spaces(attributes)
            return
        if name == _ODF_ROW:
            self._row_first = self._row + 1
            self._row += _repeat(attributes, _ROWS_REPEATED)
            self._column = 0
        elif name in (_ODF_CELL, _ODF_COVERED):
            first = self._column + 1
            self._column += _repeat(attributes, _COLUMNS_REPEATED)
            self._cell, self._depth = [first, self._column, False], 0
            if _attribute(attributes, _ODF_FORMULA) is not None:
                self.formula_count += 1
                if len(self.formulas) < self.formulas_kept:
                    self.formulas.append(f"{column_letters(min(first, 18278))}{max(self._row_first, 1)}")
                self._filled()
            elif _attribute(attributes, _VALUE_TYPE) is not None:
                self._filled()
        elif name == _ODF_SPACES:
            self._add_spaces(attributes)

    def end(self, name):
        if name == _ODF_TABLE:
            if self._tables:
                self._row, self._row_first, self._column, self._cell, self._depth = self._tables.pop()
        elif self._cell is not None:
            if self._depth == 0:
                self._cell = None  # the cell itself closes
            else:
                self._depth -= 1

    def _filled(self):
        """The current cell holds something: every row and column it repeats to must be within the limits."""
        cell = self._cell
        if cell is None or cell[2]:
            return
        cell[2] = True
        first, last = cell[0], cell[1]
        if last > self.max_columns:  # the first cell past the limit, in reading order
            row, column = self._row_first, max(first, self.max_columns + 1)
        elif self._row > self.max_rows:
            row, column = max(self._row_first, self.max_rows + 1), first
        else:
            return
        raise Refused("out_of_range", cell=f"{column_letters(min(column, 18278))}{row}", rows=self.max_rows,
                      columns=self.max_columns)

    def _add_spaces(self, attributes):
        self.spaces += _repeat(attributes, _SPACE_COUNT)
        if self.spaces > self.max_spaces:
            raise Refused("too_large")


def _repeat(attributes, name):
    """A repeat count (1 when absent); anything but a positive whole number is a damaged file."""
    value = _attribute(attributes, name)
    if value is None:
        return 1
    value = value.strip()
    if not value.isdigit() or len(value) > 12 or int(value) < 1:
        raise Refused("corrupt")
    return int(value)
