import re

from django.urls import reverse

URL = reverse("recordbook:print")


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_strangers_are_asked_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_the_print_view_has_the_cover_and_one_sheet_per_tab(bear_client):
    response = bear_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "志願服務 紀錄冊" in text
    for fact in ["姓名： 測試熊", "國民身分證統一編號： E12233****", "編號： TC110-000123",
                 "發給單位： 臺中市政府社會局"]:
        assert fact in text
    assert "E122333441" not in html
    assert 'src="data:image/jpeg;base64,' in html  # the photo travels inside the page
    for title in ["服務", "訓練", "衛生福利獎勵", "志願服務獎勵", "其他獎項表揚"]:
        assert f">志願服務紀錄冊-{title}</h2>" in html
    assert "社區關懷據點服務" in text and "合計：共 16 筆，服務時數合計" in text and "167.7" in text
    assert "查無資料" in text


def test_the_print_button_is_wired_by_a_static_script(bear_client):
    html = bear_client.get(URL).content.decode()
    assert "/static/recordbook/print.js" in html
    assert "/static/recordbook/recordbook.css" in html
    assert re.search(r"<button[^>]*data-print[^>]*>列印</button>", html)
    assert "<script>" not in html and "onclick" not in html and " style=" not in html


def test_the_print_view_follows_the_filters(bear_client):
    html = bear_client.get(URL, {"item": "環保服務"}).content.decode()
    assert "查詢條件：服務項目：環保服務" in html
    assert "淨灘活動" in html and "電話問安" not in html


def test_without_photo_or_book_the_cover_says_what_is_missing(volunteer_client):
    text = text_of(volunteer_client.get(URL).content.decode())
    assert "未上傳大頭照" in text
    assert "尚未領有紀錄冊，請洽運用單位申請" in text


def test_bad_filters_go_back_to_the_query_page(bear_client):
    response = bear_client.get(URL, {"start": "abc"})
    assert response.status_code == 302
    assert response["Location"] == reverse("recordbook:query") + "?start=abc"  # as typed
