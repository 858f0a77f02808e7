import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from volnet.recordbook.tests.html import read
from volnet.records.models import Award
from volnet.units.models import Unit

URL = reverse("recordbook:query")


def test_it_replaces_the_placeholder_and_asks_strangers_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_demo_book_shows_ten_of_sixteen_rows_with_the_manuals_columns(bear_client):
    response = bear_client.get(URL)
    assert response.status_code == 200
    page = read(response)
    assert "<title>志願服務紀錄冊列印" in page.html
    assert page.header == ["序號", "服務項目", "服務內容", "服務日期", "服務時數", "服務運用單位", "登錄人"]
    assert len(page.body_rows) == 10
    assert page.body_rows[0] == ["1", "綜合服務", "電話問安", "115/03/01~115/03/30", "12",
                                 "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "何小倫"]
    assert "共有：16筆" in page.text
    assert page.foot == [["服務時數合計（全部 16 筆）", "167.7", ""]]
    assert [link["text"] for link in page.pagination] == ["1", "2", "下一頁"]
    assert 'aria-current="page">志願服務紀錄冊列印</a>' in page.html  # the menu item


def test_page_two_continues_the_numbering(bear_client):
    page = read(bear_client.get(URL, {"page": "2"}))
    assert [row[0] for row in page.body_rows] == [str(n) for n in range(11, 17)]
    assert page.body_rows[-1][2] == "社區關懷據點服務"
    assert [link["text"] for link in page.pagination] == ["上一頁", "1", "2"]
    assert "共有：16筆" in page.text


def test_a_nonsense_page_number_shows_the_nearest_page(bear_client):
    assert read(bear_client.get(URL, {"page": "abc"})).body_rows[0][0] == "1"
    assert read(bear_client.get(URL, {"page": "999"})).body_rows[0][0] == "11"


def test_the_unit_filter_shows_that_units_rows_and_keeps_the_choice(bear_client):
    centre = Unit.objects.get(code="1-187")
    page = read(bear_client.get(URL, {"unit": str(centre.id)}))
    assert {row[5] for row in page.body_rows} == {"1-187臺中市志願服務推廣中心志工隊"}
    assert "共有：8筆" in page.text
    assert f'<option value="{centre.id}" selected>' in page.html


def test_the_unit_choices_are_the_volunteers_own_units(bear_client):
    html = read(bear_client.get(URL)).html
    for label in ["臺中市樂樂發展協會(測試用)", "1-187臺中市志願服務推廣中心志工隊",
                  "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"]:
        assert f">{label}</option>" in html


def test_the_item_filter_shows_that_items_rows(bear_client):
    page = read(bear_client.get(URL, {"item": "老人服務"}))
    assert [row[2] for row in page.body_rows] == ["電話問安", "資料整理"]
    assert "共有：2筆" in page.text
    assert page.foot[0][1] == "13"


def test_the_period_filter_uses_roc_dates_and_keeps_them(bear_client):
    page = read(bear_client.get(URL, {"start": "115/03/01", "end": "115/03/30"}))
    assert [row[2] for row in page.body_rows] == ["電話問安", "環保服務", "電話諮商"]
    assert 'value="115/03/01"' in page.html and 'value="115/03/30"' in page.html
    assert page.foot[0][1] == "33"


def test_page_links_keep_the_filters(bear_client):
    page = read(bear_client.get(URL, {"start": "111/11/15", "end": "115/12/31"}))
    assert "共有：16筆" in page.text
    next_link = page.pagination[-1]["href"]
    assert parse_qs(urlparse(next_link).query) == {"start": ["111/11/15"], "end": ["115/12/31"], "page": ["2"]}
    second = read(bear_client.get(URL + next_link))
    assert [row[0] for row in second.body_rows] == [str(n) for n in range(11, 17)]
    assert 'value="111/11/15"' in second.html


def test_a_reversed_period_gets_a_message_beside_the_field_and_keeps_what_was_typed(bear_client):
    response = bear_client.get(URL, {"start": "115/03/30", "end": "115/03/01"})
    assert response.status_code == 200
    page = read(response)
    assert "結束日期 115/03/01 早於開始日期 115/03/30" in page.text
    assert 'value="115/03/30"' in page.html and 'value="115/03/01"' in page.html
    assert 'aria-invalid="true"' in page.html
    assert page.body_rows == []  # no result until the dates are fixed
    assert reverse("recordbook:pdf") not in page.html


def test_a_date_that_does_not_exist_gets_a_chinese_message(bear_client):
    page = read(bear_client.get(URL, {"start": "115/02/30", "end": "明天"}))
    assert "開始日期：民國 115 年 2 月 30 日不存在" in page.text
    assert "結束日期：「明天」不是有效的民國日期" in page.text
    assert 'value="明天"' in page.html


def test_a_unit_that_is_not_the_volunteers_gets_a_message_not_an_error(bear_client, other_authority):
    stranger = Unit.objects.create(code="9-9", name="別人的單位", authority=other_authority)
    for value in [str(stranger.id), "abc", "99999999999999999999999"]:
        response = bear_client.get(URL, {"unit": value})
        assert response.status_code == 200
        assert "請從清單中選擇單位。" in read(response).text


def test_long_or_odd_input_never_breaks_the_page(bear_client):
    for params in [{"start": "1" * 500}, {"end": "<script>"}, {"tab": "x" * 300}, {"item": "不存在的項目"}]:
        response = bear_client.get(URL, params)
        assert response.status_code == 200
    assert "<script>" not in bear_client.get(URL, {"end": "<script>"}).content.decode().split("</header>")[1]


def test_each_tab_has_its_own_columns(bear_client):
    training = read(bear_client.get(URL, {"tab": "training"}))
    assert training.header == ["序號", "訓練起訖", "訓練課程", "類別", "訓練單位", "訓練時數", "結業證書字號",
                               "登錄單位"]
    assert training.body_rows[0][5] == "12小時00分鐘"
    assert "共有：3筆" in training.text
    assert 'name="item"' not in training.html  # 服務項目 belongs to the 服務 tab
    other = read(bear_client.get(URL, {"tab": "other"}))
    assert other.header == ["序號", "獎項名稱", "等級", "頒發日期", "頒發機關", "證書字號", "登錄單位"]
    assert other.body_rows[0][1:4] == ["臺中市績優志工表揚", "績優志工", "113/12/05"]
    empty = read(bear_client.get(URL, {"tab": "health_welfare"}))
    assert "查無符合條件的衛生福利獎勵紀錄。" in empty.text
    assert "共有：0筆" in empty.text


def test_tabs_are_links_that_keep_unit_and_period(bear_client):
    page = read(bear_client.get(URL, {"unit": "", "start": "112/01/01", "item": "綜合服務", "tab": "training"}))
    assert [tab["text"] for tab in page.tabs] == ["服務", "訓練", "衛生福利獎勵", "志願服務獎勵", "其他獎項表揚"]
    assert [tab["current"] for tab in page.tabs] == [False, True, False, False, False]
    service = parse_qs(urlparse(page.tabs[0]["href"]).query)
    assert service == {"start": ["112/01/01"]}
    assert parse_qs(urlparse(page.tabs[4]["href"]).query) == {"start": ["112/01/01"], "tab": ["other"]}
    assert 'href="/me/record-book/?tab=training">重設</a>' in page.html


def test_reset_is_a_link_to_the_bare_page(bear_client):
    page = read(bear_client.get(URL, {"item": "綜合服務"}))
    assert f'href="{URL}">重設</a>' in page.html


def test_download_and_print_links_carry_the_filters(bear_client):
    html = read(bear_client.get(URL, {"item": "綜合服務", "start": "113/01/01", "page": "2"})).html
    pdf = reverse("recordbook:pdf") + "?item=%E7%B6%9C%E5%90%88%E6%9C%8D%E5%8B%99&amp;start=113%2F01%2F01"
    assert f'href="{pdf}"' in html
    assert f'href="{reverse("recordbook:print")}?item=' in html


def test_a_volunteer_sees_only_their_own_records(volunteer_client, volunteer, service_record, other_volunteer, unit_b):
    service_record(content="自己的服務")
    service_record(content="別人的服務", volunteer=other_volunteer, unit=unit_b)
    page = read(volunteer_client.get(URL))
    assert [row[2] for row in page.body_rows] == ["自己的服務"]
    assert "別人的服務" not in page.html
    # A volunteer id in the URL changes nothing.
    assert read(volunteer_client.get(URL, {"volunteer": other_volunteer.id})).body_rows == page.body_rows


def test_a_volunteer_with_no_records_is_told_so(volunteer_client):
    page = read(volunteer_client.get(URL))
    assert "查無符合條件的服務紀錄。" in page.text
    assert "共有：0筆" in page.text


def test_the_page_loads_only_static_assets_and_no_inline_script(bear_client):
    html = read(bear_client.get(URL)).html
    assert "/static/recordbook/recordbook.css" in html
    assert "<script>" not in html and " style=" not in html


def test_awards_filtered_by_date(volunteer_client, volunteer, unit_a):
    Award.objects.create(volunteer=volunteer, unit=unit_a, kind=Award.Kind.VOLUNTEER_SERVICE, name="銅牌",
                         awarded_on=dt.date(2024, 3, 1), granted_by="衛生福利部")
    page = read(volunteer_client.get(URL, {"tab": "volunteer_service", "start": "113/01/01", "end": "113/12/31"}))
    assert [row[1] for row in page.body_rows] == ["銅牌"]
    page = read(volunteer_client.get(URL, {"tab": "volunteer_service", "start": "114/01/01"}))
    assert page.body_rows == []


def test_reset_stands_before_search_as_in_the_manual(bear_client):
    html = bear_client.get(reverse("recordbook:query")).content.decode()
    actions = re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)
    assert actions.index(">重設</a>") < actions.index(">查詢</button>")
