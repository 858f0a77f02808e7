"""The 志願服務績效證明書 as a PDF (A4 portrait): what the unit certified, its number, the print date, and the
verification block (code and QR code to the public page). One page, drawn on a ReportLab canvas."""

# zh-only-file: the 績效證明書 is an official Chinese form

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas

from volnet.documents import fonts, stamp
from volnet.lib import masking, rocdate

WIDTH, HEIGHT = A4
MARGIN = 25 * mm


def _text(canv, x, y, text, size, align="left"):
    pieces = fonts.runs(text)
    widths = [canv.stringWidth(piece, name, size) for name, piece in pieces]
    if align == "centre":
        x -= sum(widths) / 2
    elif align == "right":
        x -= sum(widths)
    for (name, piece), w in zip(pieces, widths, strict=True):
        canv.setFont(name, size)
        canv.drawString(x, y, piece)
        x += w


def _paragraph(canv, x, y, text, size, room, leading):
    for line in fonts.wrap(text, room, size):
        _text(canv, x, y, line, size)
        y -= leading
    return y


def statement(certificate):
    """The certifying sentence, as printed."""
    years, months = divmod(certificate.months, 12)
    seniority = (f"{years} 年" if years else "") + (f"{months} 個月" if months or not years else "")
    masked = masking.mask_id(certificate.volunteer.national_id)
    return (f"茲證明 {certificate.volunteer.name}（身分證統一編號 {masked}）"
            f"自 {rocdate.format(certificate.period_start)} 至 {rocdate.format(certificate.period_end)} 於本單位"
            f"從事志願服務，服務年資 {seniority}，服務時數共計 {certificate.hours} 小時，特此證明。")


def render(certificate, verification, printed_on):
    """The PDF bytes. `verification`: (code as printed, its page's address, the lookup page's address)."""
    fonts.register()
    out = io.BytesIO()
    canv = pdfcanvas.Canvas(out, pagesize=A4, initialFontName=fonts.MAIN, lang="zh-TW")
    canv.setTitle("志願服務績效證明書")
    canv.setSubject(f"{certificate.volunteer.name} 志願服務績效證明書 {certificate.number}")
    code, url, lookup = verification
    y = HEIGHT - 40 * mm
    _text(canv, WIDTH / 2, y, "志願服務績效證明書", 26, "centre")
    y -= 12 * mm
    _text(canv, WIDTH - MARGIN, y, f"字號：{certificate.number}", 11, "right")
    y -= 16 * mm
    y = _paragraph(canv, MARGIN, y, statement(certificate), 15, WIDTH - 2 * MARGIN, 26)
    y -= 16 * mm
    for line in (f"開立單位：{certificate.unit.label}", f"主管機關：{certificate.unit.authority.name}",
                 f"開立日期：{rocdate.format(certificate.issued_on)}", f"列印日期：{rocdate.format(printed_on)}"):
        _text(canv, MARGIN, y, line, 13)
        y -= 9 * mm
    size = 30 * mm
    stamp.draw_qr(canv, url, MARGIN, 25 * mm, size)
    x = MARGIN + size + 5 * mm
    lines = ((f"驗證碼：{code}", 12, 20 * mm), ("掃描左方 QR code，或至下列網址輸入驗證碼，", 9.5, 14 * mm),
             ("可查驗本證明書的內容與是否仍然有效：", 9.5, 10 * mm), (lookup, 9, 6 * mm))
    for text, font_size, dy in lines:
        _text(canv, x, 25 * mm + dy, text, font_size)
    canv.showPage()
    canv.save()
    return out.getvalue()
