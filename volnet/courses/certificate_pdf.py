"""The 結業證書 of a training course as a PDF (A4 portrait): who completed which course of which organiser, its
sessions and hours, the certificate number, and the verification block (code and QR code to the public page).
One page, drawn on a ReportLab canvas with the documents' fonts."""

# zh-only-file: the 結業證書 is an official Chinese form

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from volnet.documents import fonts, stamp
from volnet.lib import masking, rocdate
from volnet.lib.hours import format_hours

WIDTH, HEIGHT = A4
MARGIN = 25 * mm


def statement(enrolment, sessions):
    course = enrolment.course
    volunteer = enrolment.volunteer
    minutes = sum(session.minutes for session in sessions)
    return (f"茲證明 {volunteer.name}（身分證統一編號 {masking.mask_id(volunteer.national_id)}）"
            f"於 {rocdate.format_range(course.first_day, course.last_day)} 參加{course.organiser_name}辦理之"
            f"「{course.title}」（{course.kind_label}），課程共 {len(sessions)} 場、{format_hours(minutes / 60)} 小時，"
            f"全程參與，准予結業，特此證明。")


def render(enrolment, sessions, verification, printed_on):
    """The PDF bytes. `verification`: (code as printed, its page's address, the lookup page's address)."""
    course = enrolment.course
    out = io.BytesIO()
    canv = fonts.a4_canvas(out, "結業證書", f"{enrolment.volunteer.name} 結業證書 {enrolment.certificate_number}")
    y = HEIGHT - 40 * mm
    fonts.draw_text(canv, WIDTH / 2, y, "結業證書", 28, "centre")
    y -= 12 * mm
    fonts.draw_text(canv, WIDTH - MARGIN, y, f"字號：{enrolment.certificate_number}", 11, "right")
    y -= 16 * mm
    y = fonts.draw_paragraph(canv, MARGIN, y, statement(enrolment, sessions), 15, WIDTH - 2 * MARGIN, 26)
    y -= 8 * mm
    fonts.draw_text(canv, MARGIN, y, "課程內容：", 12)
    y -= 7 * mm
    for session in sessions:
        fonts.draw_text(canv, MARGIN + 5 * mm, y, f"{rocdate.format(session.date)}　{session.subject}"
                                                  f"（{format_hours(session.minutes / 60)} 小時）", 11)
        y -= 6.5 * mm
    y -= 8 * mm
    for line in (f"主辦單位：{course.organiser_name}", f"結訓日期：{rocdate.format(enrolment.completed_on)}",
                 f"列印日期：{rocdate.format(printed_on)}"):
        fonts.draw_text(canv, MARGIN, y, line, 13)
        y -= 9 * mm
    stamp.draw_verification(canv, verification, MARGIN, 25 * mm, "本證書")
    canv.showPage()
    canv.save()
    return out.getvalue()
