import io

from reportlab.pdfgen import canvas

from volnet.documents import fonts
from volnet.recordbook import pdf
from volnet.recordbook.tests.pdftools import Pdf


def test_the_main_font_is_the_taiwan_face_of_ar_pl_uming():
    fonts.register()
    face = fonts._main_font().face
    assert face.name == b"UMingTW"
    for char in "臺測試熊堃喆犇第頁共：／":
        assert fonts.has_glyph(char), char


def test_characters_the_main_font_lacks_are_drawn_by_the_cns_fallback():
    assert not fonts.has_glyph("𠀋")
    assert fonts.runs("王𠀋明") == [(fonts.MAIN, "王"), (fonts.fallback_for("𠀋"), "𠀋"), (fonts.MAIN, "明")]
    assert fonts.runs("測試熊") == [(fonts.MAIN, "測試熊")]


def test_a_character_no_font_has_stays_in_the_text_and_is_logged(caplog):
    # U+1F004 (a mahjong tile) is in neither UMing nor the CNS 11643 fonts.
    assert fonts.fallback_for("\U0001f004") is None
    assert fonts.runs("王\U0001f004") == [(fonts.MAIN, "王\U0001f004")]
    assert "no installed font has" in caplog.text


def test_text_above_the_basic_plane_can_be_extracted_from_the_pdf():
    # ReportLab alone writes <2000B> in the ToUnicode map, which readers turn into U+2000.
    out = io.BytesIO()
    page = canvas.Canvas(out, initialFontName=fonts.register())
    pdf.draw_text(page, 72, 700, "王𠀋明 𡘙", 14)
    page.save()
    assert Pdf(out.getvalue()).flat() == "王𠀋明𡘙"


def test_wrap_breaks_cjk_by_width_and_ranges_after_the_tilde():
    assert fonts.wrap("綜合服務", 100, 9) == ("綜合服務",)
    lines = fonts.wrap("2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", 90, 9)
    assert "".join(lines) == "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"
    assert len(lines) > 1 and all(fonts.width(line, 9) <= 90 for line in lines)
    assert fonts.wrap("115/03/01~115/03/30", 56, 9) == ("115/03/01~", "115/03/30")
    assert fonts.wrap("上\n下", 100, 9) == ("上", "下")
