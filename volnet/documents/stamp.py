"""The verification block drawn into an issued PDF with ReportLab: the QR code (segno's modules, drawn as
filled runs, no image) and the code in words."""

import segno
from reportlab.lib.units import mm

from volnet.documents import fonts


def draw_qr(canvas, url, x, y, size):
    """A QR code of `url`, `size` points square with its quiet zone, lower-left corner at (x, y)."""
    # A fixed mask: segno's search for the best of the eight took 5 ms of the 6 (measured), and any mask
    # reads; the code is printed large on white with its quiet zone.
    qr = segno.make(url, error="m", mask=0)
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        top = y + size - (row_number + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * module, top, (column - start) * module, module)
                start = None
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw_verification(canvas, verification, x, y, what):
    """The QR code (30 mm) with the code and the lookup address beside it, lower-left corner at (x, y).
    `verification`: (code as printed, its page's address, the lookup page's address); `what`: the document
    as the sentence names it (本證明書)."""
    code, url, lookup = verification
    size = 30 * mm
    draw_qr(canvas, url, x, y, size)
    left = x + size + 5 * mm
    # zh-only: printed on official Chinese forms
    lines = ((f"驗證碼：{code}", 12, 20 * mm), ("掃描左方 QR code，或至下列網址輸入驗證碼，", 9.5, 14 * mm),
             (f"可查驗{what}的內容與是否仍然有效：", 9.5, 10 * mm), (lookup, 9, 6 * mm))
    for text, font_size, dy in lines:
        fonts.draw_text(canvas, left, y + dy, text, font_size)
