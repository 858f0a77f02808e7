"""The record book as a PDF: A4 portrait, a cover with the photo, one section per tab.

Drawn with ReportLab's platypus in one layout pass: a canvas that keeps its pages until the end
writes `第 N 頁／共 M 頁` once it knows M. Table cells are plain strings wrapped by our own
measuring (`fonts.wrap`) so every row height is known in advance; only a cell with a character
that the main font lacks becomes a Paragraph that mixes in a fallback font.
"""

# zh-only-file: the record book is the official Chinese form

import functools
import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from volnet.documents import fonts, stamp

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 14 * mm
MARGIN_BOTTOM = 18 * mm
HEADER_HEIGHT = 46 * mm  # section heading, print date, name, ID, authority, filters
TABLE_SIZE = 9
TABLE_LEADING = 11.5
CELL_PAD = 3  # ReportLab's default top and bottom padding; we use it left and right too
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#6b7278")
HEAD_FILL = colors.HexColor("#e8edf2")


def _markup(text):
    """Paragraph markup for text that needs fallback fonts: runs of each font in its own <font> tag."""
    return "".join(
        escape(piece) if name == fonts.MAIN else f'<font name="{name}">{escape(piece)}</font>'
        for name, piece in fonts.runs(text)
    ).replace("\n", "<br/>")


def draw_text(canv, x, y, text, size, align="left"):
    """Draw one line on the canvas with font fallback; align left, centre or right of x."""
    pieces = fonts.runs(text)
    widths = [canv.stringWidth(piece, name, size) for name, piece in pieces]
    total = sum(widths)
    if align == "centre":
        x -= total / 2
    elif align == "right":
        x -= total
    for (name, piece), w in zip(pieces, widths, strict=True):
        canv.setFont(name, size)
        canv.drawString(x, y, piece)
        x += w


class _NumberedCanvas(pdfcanvas.Canvas):
    """Keeps every page until save(), then stamps `第 N 頁／共 M 頁` on each (one layout pass)."""

    def __init__(self, *args, footer="", **kwargs):
        self._footer = footer  # the verification code, at the right of every page's foot
        kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.MAIN  # no unembedded Helvetica
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or TABLE_SIZE
        super().__init__(*args, **kwargs)
        self._saved_pages = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self.setFillColor(INK)
            draw_text(self, PAGE_WIDTH / 2, 10 * mm, f"第 {number} 頁／共 {total} 頁", 9, "centre")
            if self._footer:
                draw_text(self, PAGE_WIDTH - MARGIN_X, 10 * mm, self._footer, 8, "right")
            super().showPage()
        self._saved_pages = []
        super().save()


def _section_header(canv, doc, section, book):
    canv.saveState()
    canv.setFillColor(INK)
    top = PAGE_HEIGHT - 14 * mm
    draw_text(canv, PAGE_WIDTH / 2, top - 6 * mm, section.title, 16, "centre")
    holder = book.holder
    lines = [
        f"列印日期：{book.printed_on_roc}",
        f"姓名：{holder.name}",
        f"國民身分證統一編號：{holder.masked_id}",
        f"發給單位：{holder.authority}",
    ]
    y = top - 13 * mm
    draw_text(canv, MARGIN_X, y, lines[0], 10.5)
    draw_text(canv, PAGE_WIDTH / 2, y, lines[1], 10.5)
    y -= 5.5 * mm
    draw_text(canv, MARGIN_X, y, lines[2], 10.5)
    draw_text(canv, PAGE_WIDTH / 2, y, lines[3], 10.5)
    if book.filter_text:
        y -= 5.5 * mm
        text = f"查詢條件：{book.filter_text}"
        size = 9.5
        while fonts.width(text, size) > PAGE_WIDTH - 2 * MARGIN_X and size > 6:
            size -= 0.5
        draw_text(canv, MARGIN_X, y, text, size)
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, y - 3 * mm, PAGE_WIDTH - MARGIN_X, y - 3 * mm)
    canv.restoreState()


class _PhotoBox(Flowable):
    """The place of the photo when there is none: a frame saying why."""

    def __init__(self, width, height, note):
        super().__init__()
        self.width, self.height, self.note = width, height, note

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(RULE)
        self.canv.setDash(3, 2)
        self.canv.rect(0, 0, self.width, self.height)
        self.canv.setFillColor(INK)
        draw_text(self.canv, self.width / 2, self.height / 2 - 4, self.note, 10, "centre")


def _cell_style():
    return ParagraphStyle("cell", fontName=fonts.MAIN, fontSize=TABLE_SIZE, leading=TABLE_LEADING,
                          wordWrap="CJK", textColor=INK)


def _cover(book, styles):
    holder = book.holder
    title = ParagraphStyle("title", fontName=fonts.MAIN, fontSize=40, leading=54, alignment=TA_CENTER,
                           textColor=INK)
    story = [Spacer(1, 20 * mm), Paragraph("志願服務", title), Paragraph("紀錄冊", title), Spacer(1, 14 * mm)]
    photo_w, photo_h = 35 * mm, 45 * mm
    if holder.photo:
        photo = Image(io.BytesIO(holder.photo), width=photo_w, height=photo_h, kind="proportional")
    else:
        photo = _PhotoBox(photo_w, photo_h, holder.photo_note)
    photo.hAlign = "CENTER"
    story += [photo, Spacer(1, 14 * mm)]

    label_style = ParagraphStyle("label", fontName=fonts.MAIN, fontSize=14, leading=20, textColor=INK)
    right_style = ParagraphStyle("label-right", parent=label_style, alignment=TA_RIGHT)
    fields = [
        ("姓名：", holder.name),
        ("國民身分證統一編號：", holder.masked_id),
        ("編號：", holder.number_text),
        ("發給單位：", holder.authority),
    ]
    rows = [[Paragraph(escape(label), right_style), Paragraph(_markup(value), label_style)] for label, value in fields]
    table = Table(rows, colWidths=[62 * mm, 90 * mm], hAlign="CENTER")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.MAIN, 14), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (0, -1), 0)]))
    story += [table, Spacer(1, 12 * mm),
              Paragraph(f"列印日期：{book.printed_on_roc}", ParagraphStyle(
                  "printed", parent=label_style, fontSize=11, leading=15, alignment=TA_CENTER))]
    if book.verification is not None:
        story += [Spacer(1, 8 * mm), _VerificationBlock(book.verification)]
    return story


class _VerificationBlock(Flowable):
    """The QR code to the public verification page, with the code and how to use it beside it."""

    SIZE = 30 * mm

    def __init__(self, verification):
        super().__init__()
        self.verification = verification
        self.width, self.height = 150 * mm, self.SIZE
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        stamp.draw_qr(canv, self.verification.url, 0, 0, self.SIZE)
        canv.setFillColor(INK)
        x = self.SIZE + 4 * mm
        lines = [(f"驗證碼：{self.verification.code}", 12), ("掃描左方 QR code，或至下列網址輸入驗證碼，", 9.5),
                 ("可查驗本紀錄冊的內容，以及是否有較新的列印：", 9.5), (self.verification.lookup_url, 9)]
        y = self.SIZE - 8 * mm
        for text, size in lines:
            draw_text(canv, x, y, text, size)
            y -= size + 5


def _row_cells(row, inner, cell_style):
    """(cells, height or None): plain wrapped strings, or Paragraphs where a fallback font is needed."""
    cells, lines, fancy = [], 1, False
    for text, room in zip(row, inner, strict=True):
        if fonts.needs_fallback(text):
            fancy = True
            cells.append(Paragraph(_markup(text), cell_style))
        else:
            wrapped = fonts.wrap(text, room, TABLE_SIZE)
            lines = max(lines, len(wrapped))
            cells.append("\n".join(wrapped))
    if fancy:
        height = max(
            (cell.wrap(room, PAGE_HEIGHT)[1] if isinstance(cell, Paragraph) else TABLE_LEADING * (cell.count("\n") + 1))
            for cell, room in zip(cells, inner, strict=True)
        )
        return cells, height + 2 * CELL_PAD
    return cells, lines * TABLE_LEADING + 2 * CELL_PAD


def cell_texts(section):
    """The section's rows as the PDF prints them: each cell wrapped to its column (lines joined by \\n)."""
    inner = [column.width * mm - 2 * CELL_PAD for column in section.columns]
    return [["\n".join(fonts.wrap(text, room, TABLE_SIZE)) for text, room in zip(row, inner, strict=True)]
            for row in section.rows]


def _table_cell(alignment):
    """A table cell's font, padding and alignment (top and bottom padding are ReportLab's 3 points)."""
    style = CellStyle(alignment)
    style.fontname, style.fontsize, style.leading = fonts.MAIN, TABLE_SIZE, TABLE_LEADING
    style.valign, style.alignment = "TOP", alignment
    style.leftPadding = style.rightPadding = CELL_PAD
    return style


def _tables(section, cell_style, page_height):
    """The section's table cut into pages by us: every row's height is known, so each page is one small
    Table with the header on top. ReportLab never has to split a long table (which costs time that
    grows with the square of the rows); repeatRows=1 stays as a safety net."""
    widths = [column.width * mm for column in section.columns]
    inner = [w - 2 * CELL_PAD for w in widths]
    columns = len(widths)
    header = [column.label for column in section.columns]
    header_height = TABLE_LEADING + 2 * CELL_PAD
    # The cells' font, alignment and padding are a handful of shared CellStyles handed to each Table, not
    # style commands: a command touches every cell, and ReportLab would make a CellStyle per cell (about a
    # tenth of a 500-row book's time, measured). Only the lines and fills, which touch no CellStyle, stay
    # commands; the last row's alignment is its own CellStyles, so the shared ones are never changed.
    body_styles = [_table_cell("CENTER" if i == 0 else "RIGHT" if c.numeric else "LEFT")
                   for i, c in enumerate(section.columns)]
    header_styles = [body_styles[0], *(_table_cell("LEFT") for _ in section.columns[1:])]
    base_style = [("GRID", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]

    body = [_row_cells(row, inner, cell_style) for row in section.rows]
    if not section.rows:
        last_row, span_end, align = ["查無資料"] + [""] * (columns - 1), columns - 1, "CENTER"
    else:
        last_row = [""] * columns
        summary = f"合計：共 {section.count} 筆"
        if section.total_column is not None:
            last_row[0] = f"{summary}，{section.total_label}"
            last_row[section.total_column] = section.total_value
            span_end = section.total_column - 1
        else:
            last_row[0] = summary
            span_end = columns - 1
        align = "RIGHT"
    body.append((last_row, header_height))

    room = page_height - 1  # a point of slack against rounding
    pages, page, used = [], [], header_height
    for cells, height in body:
        if page and used + height > room:
            pages.append(page)
            page, used = [], header_height
        page.append((cells, height))
        used += height
    pages.append(page)

    flowables = []
    for number, page in enumerate(pages):
        data = [header] + [cells for cells, _ in page]
        heights = [header_height] + [height for _, height in page]
        style = list(base_style)
        styles = [header_styles] + [body_styles] * (len(data) - 1)
        if number == len(pages) - 1:
            last = len(data) - 1
            styles[last] = [_table_cell(align) if i <= span_end else body_styles[i] for i in range(columns)]
            style += [("SPAN", (0, last), (span_end, last))]
            if section.rows:
                style += [("BACKGROUND", (0, last), (-1, last), HEAD_FILL),
                          ("LINEABOVE", (0, last), (-1, last), 1.2, INK)]
        table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT", cellStyles=styles)
        table.setStyle(TableStyle(style))
        if flowables:
            flowables.append(PageBreak())
        flowables.append(table)
    return flowables


def render(book, out=None):
    """Write the PDF of `book` (a book.Book) to `out` (a binary file); returns `out` (BytesIO if None)."""
    fonts.register()
    out = out if out is not None else io.BytesIO()
    frame_width = PAGE_WIDTH - 2 * MARGIN_X
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=14 * mm,
        bottomMargin=MARGIN_BOTTOM,
        title="志願服務紀錄冊",
        author=settings.SITE_NAME,
        subject=f"{book.holder.name} 志願服務紀錄冊",
        creator=settings.SITE_NAME,
        lang="zh-TW",
        initialFontName=fonts.MAIN,
    )
    cover_frame = Frame(MARGIN_X, MARGIN_BOTTOM, frame_width, PAGE_HEIGHT - 14 * mm - MARGIN_BOTTOM, id="cover",
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body_height = PAGE_HEIGHT - HEADER_HEIGHT - MARGIN_BOTTOM
    templates = [PageTemplate(id="cover", frames=[cover_frame])]
    for section in book.sections:
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, frame_width, body_height, id=section.key,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=section.key, frames=[frame],
                                      onPage=functools.partial(_section_header, section=section, book=book)))
    doc.addPageTemplates(templates)

    cell_style = _cell_style()
    story = _cover(book, cell_style)
    for section in book.sections:
        story += [NextPageTemplate(section.key), PageBreak(), *_tables(section, cell_style, body_height)]
    footer = f"驗證碼 {book.verification.code}" if book.verification is not None else ""
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return out
