import datetime as dt
import io
import re

import pdfplumber
from django.core.files.base import ContentFile
from PIL import Image

from volnet.demo import images
from volnet.recordbook import book, pdf, queries
from volnet.recordbook.queries import Filters
from volnet.recordbook.tests.pdftools import Pdf, pdffonts, render_page_png
from volnet.records.models import RecordBook

PRINTED = dt.date(2026, 11, 25)  # 115/11/25


def render(user, filters=None):
    return Pdf(pdf.render(book.assemble(user, filters or Filters(), PRINTED)).getvalue())


def test_the_cover_has_title_name_masked_id_number_authority_and_photo(bear):
    document = render(bear)
    cover = document.flat(1)
    assert "志願服務紀錄冊" in cover
    assert "姓名：測試熊" in cover
    assert "國民身分證統一編號：E12233****" in cover
    assert "編號：TC110-000123" in cover
    assert "發給單位：臺中市政府社會局" in cover
    assert "列印日期：115/11/25" in cover
    with pdfplumber.open(io.BytesIO(document.data)) as opened:
        assert len(opened.pages[0].images) == 1  # the photo


def test_the_full_id_number_is_nowhere_in_the_pdf(bear):
    document = render(bear)
    assert "E122333441" not in document.flat()
    assert b"E122333441" not in document.data
    assert document.flat().count("E12233****") == 1 + 5  # the cover and the first page of each section


def test_every_service_row_is_printed_with_the_manuals_columns(bear):
    document = render(bear)
    rows = document.page_rows[1]
    assert rows[0] == ("序號", "服務項目", "服務內容", "服務日期", "服務時數", "服務運用單位", "登錄人")
    expected = [tuple("".join(cell.split()) for cell in row)
                for row in queries.tab("service").section(bear, Filters()).rows]
    assert rows[1:17] == expected
    assert rows[1] == ("1", "綜合服務", "電話問安", "115/03/01~115/03/30", "12",
                       "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "何小倫")
    assert rows[10][4] == "3.7"
    assert rows[17][0] == "合計：共16筆，服務時數合計" and rows[17][4] == "167.7"


def test_one_section_per_tab_each_headed_with_print_date_name_id_and_authority(bear):
    document = render(bear)
    titles = ["志願服務紀錄冊-服務", "志願服務紀錄冊-訓練", "志願服務紀錄冊-衛生福利獎勵",
              "志願服務紀錄冊-志願服務獎勵", "志願服務紀錄冊-其他獎項表揚"]
    for number, title in enumerate(titles, start=2):
        page = document.flat(number)
        assert page.startswith(title)
        for fact in ["列印日期：115/11/25", "姓名：測試熊", "國民身分證統一編號：E12233****",
                     "發給單位：臺中市政府社會局"]:
            assert fact in page
    assert document.page_rows[2][1] == ("1", "110/10/02~110/10/03", "特殊訓練", "特殊訓練（社會福利類）",
                                        "財團法人崇正基金會", "12小時00分鐘", "中社訓字第110003號",
                                        "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")
    assert "查無資料" in document.flat(4)
    assert document.page_rows[5][1] == ("1", "臺中市績優志工表揚", "績優志工", "113/12/05", "臺中市政府",
                                        "中市社字第1130001234號", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")


def test_every_page_says_page_n_of_m(bear):
    document = render(bear)
    total = len(document.pages)
    assert total == 6
    for number, page in enumerate(document.pages, start=1):
        assert f"第 {number} 頁／共 {total} 頁" in page


def test_a_long_table_repeats_its_header_on_every_page_and_ends_with_the_totals(volunteer, many_services):
    many_services(130, hours="1.5")
    document = render(volunteer)
    service_pages = [page for page in document.pages if "志願服務紀錄冊-服務" in page]
    assert len(service_pages) >= 3
    for page in service_pages:
        assert "序號 服務項目 服務內容 服務日期 服務時數 服務運用單位 登錄人" in page
        assert "姓名：測試熊" in page
    contents = [row[2] for row in document.rows if row[0].isdigit()]
    assert contents == [f"關懷訪視第{n}次" for n in reversed(range(130))]
    text = document.flat()
    assert text.count("合計：") == 1  # the other sections have no rows: 查無資料
    assert "合計：共130筆，服務時數合計195" in "".join(service_pages[-1].split())
    assert f"第 1 頁／共 {len(document.pages)} 頁" in document.pages[0]


def test_the_fonts_are_embedded_and_subset(bear, tmp_path):
    data = pdf.render(book.assemble(bear, Filters(), PRINTED)).getvalue()
    fonts = pdffonts(data, tmp_path)
    assert fonts, "no fonts?"
    for name, kind, embedded, subset in fonts:
        assert (kind, embedded, subset) == ("TrueType", "yes", "yes"), name
    assert any("UMingTW" in name for name, *_ in fonts)


def test_page_one_renders_to_a_picture_that_is_not_blank(bear, tmp_path):
    data = pdf.render(book.assemble(bear, Filters(), PRINTED)).getvalue()
    png = render_page_png(data, tmp_path)
    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])  # pixels darker than mid-grey
        assert grey.size[1] > grey.size[0]  # A4 portrait
        assert dark > 2000  # title, photo and text are drawn


def test_a_volunteer_without_record_book_or_photo_gets_a_cover_saying_so(volunteer):
    cover = render(volunteer).flat(1)
    assert "編號：尚未領有紀錄冊，請洽運用單位申請" in cover
    assert "未上傳大頭照" in cover
    assert "發給單位：臺中市政府社會局" in cover  # the competent authority of the volunteer's unit


def test_a_cancelled_book_is_not_printed_as_valid(volunteer, authority):
    RecordBook.objects.create(volunteer=volunteer, number="OLD-1", authority=authority, issued_on=dt.date(2020, 1, 1),
                              status=RecordBook.Status.CANCELLED, category="social_welfare")
    cover = render(volunteer).flat(1)
    assert "OLD-1" not in cover
    assert "尚未領有紀錄冊" in cover


def test_an_unreadable_photo_is_reported_on_the_cover_not_raised(volunteer):
    volunteer.photo.save("broken.jpg", ContentFile(b"not a picture"), save=True)
    assert "大頭照無法讀取，請重新上傳" in render(volunteer).flat(1)


def test_a_large_photo_is_shrunk_to_print_size(volunteer):
    volunteer.photo.save("big.jpg", ContentFile(images.portrait_jpeg(size=(2400, 3200))), save=True)
    data, note = book.photo_jpeg(volunteer)
    assert note == ""
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[0] <= book.PHOTO_PIXELS[0] and image.size[1] <= book.PHOTO_PIXELS[1]


def test_rare_name_characters_render_and_can_be_searched(volunteer, service_record):
    volunteer.name = "林堃喆𠀋犇"
    volunteer.save()
    service_record(content="協助𡘙先生")
    document = render(volunteer)
    assert "林堃喆𠀋犇" in document.flat(1)
    assert "協助𡘙先生" in document.flat(2)
    assert "姓名：林堃喆𠀋犇" in document.flat(2)
    assert any("TW-Sung-Ext-B" in name for name in document.fontnames)


def test_the_pdf_follows_the_filters_and_says_which(bear):
    from volnet.units.models import Unit

    centre = Unit.objects.get(code="1-187")
    document = render(bear, Filters(unit=centre.id, item="綜合服務", start=dt.date(2023, 1, 1)))
    page = document.flat(2)
    assert "查詢條件：單位：1-187臺中市志願服務推廣中心志工隊；服務項目：綜合服務；期間：112/01/01~" in page
    assert "圖書推車服務" in page and "藝文服務" in page
    assert "行政支援" not in page  # 社區服務, or another unit
    assert "淨灘活動" not in page
    assert re.search(r"合計：共(\d+)筆", page).group(1) == "4"


def test_the_filename_carries_the_roc_print_date():
    assert book.pdf_filename(PRINTED) == "志願服務紀錄冊-115-11-25.pdf"
