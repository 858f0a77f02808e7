"""The 志願服務績效證明書 as a PDF (A4 portrait), in the form of the central authority's 發給作業規定: the title,
the certificate number, a bordered table (name, ID number masked as policy says, unit, service period, service
items, seniority, hours), the certifying sentence, the unit and its 負責人 with room for the seals, the date of
issue in 中華民國 form; below them the print date and the verification block (code and QR code to the public
page). One page, drawn on a ReportLab canvas."""

# zh-only-file: the 績效證明書 is an official Chinese form

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from volnet.documents import fonts, stamp
from volnet.lib import masking, rocdate
from volnet.lib.hours import format_hours

WIDTH, HEIGHT = A4
MARGIN = 25 * mm


def seniority(months):
    years, months = divmod(months, 12)
    return (f"{years} 年" if years else "") + (f"{months} 個月" if months or not years else "")


def long_date(day):
    """中華民國 115 年 3 月 10 日, as official forms write the date."""
    return f"中華民國 {day.year - rocdate.ROC_OFFSET} 年 {day.month} 月 {day.day} 日"


def fields(certificate):
    """The form's rows (label, value), in the order of the 志願服務績效證明書發給作業規定's form."""
    return [
        ("姓名", certificate.volunteer.name),
        ("身分證統一編號", masking.mask_id(certificate.volunteer.national_id)),
        ("服務單位", certificate.unit.label),
        ("服務期間", f"自 {long_date(certificate.period_start)} 至 {long_date(certificate.period_end)}"),
        ("服務項目", certificate.service_items or "志願服務"),
        ("服務年資", seniority(certificate.months)),
        ("服務時數", f"共計 {format_hours(certificate.hours)} 小時"),
    ]


STATEMENT = "茲證明上列志工於本單位從事志願服務，服務年資及時數如上（依志願服務紀錄冊登錄之服務時數），特此證明。"


def _table(canv, y, rows):
    """The bordered form: a label column and a value column; returns the y below it."""
    left, right = MARGIN, WIDTH - MARGIN
    label_width = 38 * mm
    size, leading = 13, 19
    canv.setLineWidth(0.8)
    top = y
    for label, value in rows:
        lines = fonts.wrap(value, right - left - label_width - 6 * mm, size) or [""]
        height = max(1, len(lines)) * leading + 10
        fonts.draw_text(canv, left + 3 * mm, y - 6 - size, label, size)
        line_y = y - 6 - size
        for line in lines:
            fonts.draw_text(canv, left + label_width + 3 * mm, line_y, line, size)
            line_y -= leading
        y -= height
        canv.line(left, y, right, y)
    canv.line(left, top, right, top)
    canv.line(left, top, left, y)
    canv.line(left + label_width, top, left + label_width, y)
    canv.line(right, top, right, y)
    return y


def render(certificate, verification, printed_on):
    """The PDF bytes. `verification`: (code as printed, its page's address, the lookup page's address)."""
    out = io.BytesIO()
    canv = fonts.a4_canvas(out, "志願服務績效證明書",
                           f"{certificate.volunteer.name} 志願服務績效證明書 {certificate.number}")
    y = HEIGHT - 32 * mm
    fonts.draw_text(canv, WIDTH / 2, y, "志願服務績效證明書", 26, "centre")
    y -= 11 * mm
    fonts.draw_text(canv, WIDTH - MARGIN, y, f"證明書字號：{certificate.number}", 11, "right")
    y -= 5 * mm
    y = _table(canv, y, fields(certificate))
    y -= 10 * mm
    y = fonts.draw_paragraph(canv, MARGIN, y, STATEMENT, 14, WIDTH - 2 * MARGIN, 24)
    y -= 8 * mm
    head = certificate.head_name or ""
    for line in (f"運用單位：{certificate.unit.label}", f"負責人：{head}"):
        fonts.draw_text(canv, MARGIN, y, line, 14)
        fonts.draw_text(canv, WIDTH - MARGIN, y, "（印）", 14, "right")
        y -= 11 * mm
    y -= 3 * mm
    fonts.draw_text(canv, WIDTH / 2, y, long_date(certificate.issued_on), 15, "centre")
    fonts.draw_text(canv, WIDTH - MARGIN, 58 * mm, f"列印日期：{rocdate.format(printed_on)}", 9.5, "right")
    stamp.draw_verification(canv, verification, MARGIN, 25 * mm, "本證明書")
    canv.showPage()
    canv.save()
    return out.getvalue()
