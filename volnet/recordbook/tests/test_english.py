"""The query page in English (the footer's language switch), while the record book itself, the PDF and
the print view, stays the official Chinese form."""

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from conftest import IDEOGRAPH, in_english
from volnet.recordbook import book
from volnet.recordbook.queries import Filters
from volnet.recordbook.tests.html import read
from volnet.recordbook.tests.pdftools import Pdf

URL = reverse("recordbook:query")


def between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


def shown_in_english(*words):
    """The English the site shows for these words (a column heading may be shared with other apps'
    catalogues, the first of which wins)."""
    with override("en"):
        return [gettext(word) for word in words]


def test_the_query_page_reads_in_english(bear_client):
    in_english(bear_client)
    page = read(bear_client.get(URL))
    assert '<html lang="en">' in page.html
    assert "<h1>Print record book</h1>" in page.html
    assert [tab["text"] for tab in page.tabs] == ["Service", "Training", "Health and Welfare Volunteer Award",
                                                  "Volunteer Service Award", "Other awards"]
    assert page.header == shown_in_english("序號", "服務項目", "服務內容", "服務日期", "服務時數", "服務運用單位",
                                           "登錄人")
    assert page.header[:2] == ["No.", "Service item"]
    assert page.body_rows[0][0:2] == ["1", "綜合服務"]  # the records themselves are data, as entered
    assert page.foot == [["Total service hours (all 16 records)", "167.7", ""]]
    assert "16 records, page 1 of 2" in page.text
    for words in ["Unit name", "All units", "All service items", "Service period", "Start date", "End date",
                  "ROC year/month/day, for example 115/03/01", "Records: Service", "Download record book (PDF)"]:
        assert words in page.text
    assert '<button type="submit" class="button button--primary">Search</button>' in page.html
    assert f'href="{URL}">Reset</a>' in page.html
    assert 'rel="next">Next page</a>' in page.html and 'aria-label="Page 1, current page"' in page.html
    assert 'data-label="Service hours"' in page.html  # the phone layout's cell labels
    # Nothing but words of ours in the tabs, the table's head and the form's labels and buttons.
    for part in [between(page.html, '<ul class="tabs rb-tabs">', "</ul>"), between(page.html, "<thead>", "</thead>"),
                 between(page.html, "<legend>", "</fieldset>"), between(page.html, '<div class="actions">', "</div>")]:
        assert not IDEOGRAPH.search(part), part


def test_an_empty_tab_and_the_training_tab_in_english(bear_client):
    in_english(bear_client)
    page = read(bear_client.get(URL, {"tab": "health_welfare", "start": "115/01/01"}))
    result = between(page.html, '<section class="rb-result"', "</section>")
    assert ("No matching records under “Health and Welfare Volunteer Award”. "
            "Try wider filters, or press “Reset” to see them all.") in page.text
    assert "0 records" in page.text
    assert not IDEOGRAPH.search(result), result
    training = read(bear_client.get(URL, {"tab": "training"}))
    assert training.header == shown_in_english("序號", "訓練起訖", "訓練課程", "類別", "訓練單位", "訓練時數",
                                               "結業證書字號", "登錄單位")
    assert not any(IDEOGRAPH.search(heading) for heading in training.header)
    assert "<legend>Training period</legend>" in training.html


def test_filter_errors_are_in_english(bear_client, other_authority):
    in_english(bear_client)
    page = read(bear_client.get(URL, {"unit": "abc", "start": "1" * 30}))
    assert "Some filters are not right. Please correct them as explained under each field, then press “Search”." \
        in page.text
    assert "Please choose a unit from the list." in page.text
    assert "Start date: That date is too long. Write it like 115/03/01." in page.text
    assert page.body_rows == []


def test_the_pdf_failure_message_is_in_english(bear_client, settings, monkeypatch):
    in_english(bear_client)
    from volnet.documents import fonts

    monkeypatch.setattr(fonts, "MAIN", "NotInstalledFont")
    settings.RECORDBOOK_FONT = "/nonexistent/uming.ttc"
    response = bear_client.get(reverse("recordbook:pdf"), follow=True)
    assert response.redirect_chain[-1][0].startswith(URL)
    assert ("The record book PDF cannot be made right now. Please use “Print” instead, or try again later."
            in response.content.decode())


def test_the_print_view_keeps_the_book_in_chinese_and_the_page_around_it_in_english(bear_client):
    in_english(bear_client)
    html = bear_client.get(reverse("recordbook:print"), {"item": "環保服務"}).content.decode()
    assert '<html lang="en">' in html
    assert '<article class="rb-book" aria-label="志願服務紀錄冊" lang="zh-Hant-TW">' in html
    for title in ["服務", "訓練", "衛生福利獎勵", "志願服務獎勵", "其他獎項表揚"]:
        assert f">志願服務紀錄冊-{title}</h2>" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "序號 服務項目 服務內容 服務日期 服務時數 服務運用單位 登錄人" in text
    assert re.search(r"合計：共 \d+ 筆，服務時數合計", text)
    assert "查詢條件：服務項目：環保服務" in text
    assert "12小時00分鐘" in text  # training hours, as the form writes them
    book = html[html.index('<article class="rb-book"'):html.index("</article>")]
    book_text = re.sub(r"<[^>]+>", " ", book)
    assert "Total service hours" not in book_text and "Training" not in book_text
    # around the form, the page speaks the reader's language
    assert "Back to the search page" in text and ">Print</button>" in html


def test_the_chinese_print_view_is_unchanged(bear_client):
    html = bear_client.get(reverse("recordbook:print")).content.decode()
    assert '<article class="rb-book" aria-label="志願服務紀錄冊">' in html
    assert html.count('lang="zh-Hant-TW"') == 1  # the page's own <html lang>


def test_the_pdf_stays_the_chinese_form(volunteer_client):
    in_english(volunteer_client)
    response = volunteer_client.get(reverse("recordbook:pdf"))
    today = timezone.localdate()
    assert f"filename=\"record-book-{today.year - 1911}-{today:%m}-{today:%d}.pdf\"" in response["Content-Disposition"]
    document = Pdf(b"".join(response.streaming_content))
    cover = document.flat(1)
    assert "姓名：" in cover and "尚未領有紀錄冊，請洽運用單位申請" in cover and "未上傳大頭照" in cover
    assert "志願服務紀錄冊-服務" in document.flat(2)
    assert "No record book" not in document.text


def test_a_book_assembled_while_english_is_active_is_chinese(bear):
    with override("en"):
        assembled = book.assemble(bear, Filters(item="老人服務"))
    assert [section.title for section in assembled.sections][:2] == ["志願服務紀錄冊-服務", "志願服務紀錄冊-訓練"]
    assert assembled.sections[0].columns[0].label == "序號"
    assert assembled.filter_text == "服務項目：老人服務"
    with override("en"):
        assert str(assembled.sections[0].total_label) == "服務時數合計"  # plain strings, not lazy ones
        assert book.pdf_filename(timezone.localdate()).startswith("志願服務紀錄冊-")
