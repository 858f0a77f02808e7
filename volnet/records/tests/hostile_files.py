"""Hostile xlsx files for the import's zip and XML guard, built in memory in a few milliseconds.

`raw_zip` writes a zip by hand so that a test can make it lie: a member's declared size, its CRC and
its compressed bytes are whatever the test says. `zeros_deflated` makes a deflate stream of any
number of MiB of zeros from one compressed MiB repeated (each piece ends with a full flush, so the
pieces can be chained): a gigabyte of zeros costs about a megabyte and no time to make.
"""

import io
import struct
import zipfile
import zlib

MIB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="服務時數" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
SHEET = "xl/worksheets/sheet1.xml"
# zh-only: the template's headings (file format)
HEADER = ("身分證號碼", "姓名", "服務項目", "服務內容", "服務起日(民國)", "服務迄日(民國)", "服務時數")
ROW = ("E122333441", "測試熊", "綜合服務", "電話問安", "114/03/01", "114/03/01", "2")


def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def template_rows():
    """The header and one good row, as `<row>` elements (A1:G2)."""
    header = "".join(cell(f"{chr(65 + i)}1", text) for i, text in enumerate(HEADER))
    row = "".join(cell(f"{chr(65 + i)}2", text) for i, text in enumerate(ROW))
    return f'<row r="1">{header}</row><row r="2">{row}</row>'


def sheet_xml(rows="", dimension="A1:G2", prolog="", extra=""):
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dimension}'
            f"<sheetData>{rows}</sheetData>{extra}</worksheet>")


def book_parts(sheet):
    return [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), (SHEET, sheet)]


def workbook(sheet, extra_parts=()):
    """A minimal, valid xlsx (deflated, written by zipfile) whose only sheet is `sheet` (XML text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [*book_parts(sheet), *extra_parts]:
            archive.writestr(name, text)
    return buffer.getvalue()


def zeros_deflated(mebibytes):
    """A raw deflate stream of `mebibytes` MiB of zeros: about 1 KB per MiB, made in milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * mebibytes + compressor.flush(zlib.Z_FINISH)


def zeros_crc(count):
    """CRC-32 of `count` zero bytes."""
    crc = 0
    whole, rest = divmod(count, MIB)
    one = bytes(MIB)
    for _ in range(whole):
        crc = zlib.crc32(one, crc)
    return zlib.crc32(bytes(rest), crc)


class Member:
    """One zip entry as raw_zip writes it: its bytes as stored, and what the headers claim."""

    def __init__(self, name, data=None, *, stored=None, method=zipfile.ZIP_DEFLATED, size=None, crc=None, flags=0):
        if stored is None:
            data = data.encode() if isinstance(data, str) else data
            if method == zipfile.ZIP_DEFLATED:
                compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
                stored = compressor.compress(data) + compressor.flush()
            else:
                stored = data
            size = len(data) if size is None else size
            crc = zlib.crc32(data) if crc is None else crc
        self.name, self.stored, self.method, self.size, self.crc = name.encode(), stored, method, size, crc
        self.flags = flags


def raw_zip(members):
    """Bytes of a zip holding `members` (Member objects), their headers exactly as given."""
    out = io.BytesIO()
    directory = []
    for member in members:
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, member.flags, member.method, 0, 0, member.crc,
                              len(member.stored), member.size, len(member.name), 0))
        out.write(member.name)
        out.write(member.stored)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, member.flags, member.method, 0, 0,
                                     member.crc, len(member.stored), member.size, len(member.name), 0, 0, 0, 0, 0,
                                     offset)
                         + member.name)
    start = out.tell()
    for entry in directory:
        out.write(entry)
    size = out.tell() - start
    count = min(len(members), 0xFFFF)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    return out.getvalue()


def raw_book(sheet_member, extra=()):
    """A whole workbook written by raw_zip, with `sheet_member` (a Member) as its sheet."""
    parts = [Member(name, text) for name, text in book_parts("")[:-1]]
    return raw_zip([*parts, sheet_member, *extra])


# OpenDocument (.ods): a mimetype, a manifest and content.xml, as LibreOffice writes them (minus styles)

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(text, attributes=""):
    return (f'<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p>'
            "</table:table-cell>")


def ods_row(values, attributes=""):
    return f"<table:table-row{attributes}>" + "".join(ods_cell(value) for value in values) + "</table:table-row>"


def ods_template_rows():
    """The header and one good row as table rows."""
    return ods_row(HEADER) + ods_row(ROW)


def ods_content(rows, name="服務時數", prolog=""):
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {ODS_NAMESPACES} '
            'office:version="1.2"><office:body><office:spreadsheet>'
            f'<table:table table:name="{name}">{rows}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>")


def ods_book(content, mimetype=ODS_MIMETYPE, extra_parts=()):
    """A minimal, valid ods (its mimetype first and stored) whose content.xml is `content`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", content)
        for name, text in extra_parts:
            archive.writestr(name, text)
    return buffer.getvalue()
