import datetime as dt
import re
from decimal import Decimal

import pytest

from volnet.portal.tests.html import table, text
from volnet.records.models import OtherItem, RecordBook, ServiceRecord

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/me/services/"
TEAM = "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"


def test_it_opens_on_the_training_tab_with_exactly_the_manuals_rows(bear_client):
    response = bear_client.get(URL)
    assert response.status_code == 200
    training = table(response.content, "教育訓練時數")
    assert training["head"] == ["登錄單位", "訓練起訖", "訓練單位", "訓練課程", "訓練次數", "訓練時數",
                                "更正申請"]
    assert training["body"] == [
        # the certificate number (結業證書字號) under the course, where there is one (issue 15)
        ["臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/10/02~110/10/03", "財團法人崇正基金會",
         "特殊訓練 結業證書字號 中社訓字第110003號", "1", "12小時00分鐘", "申請更正（特殊訓練）"],
        ["臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/05/10~110/05/10", "台北市政府公務人員訓練處",
         "基礎訓練 結業證書字號 中社訓字第110002號", "1", "6小時00分鐘", "申請更正（基礎訓練）"],
        ["臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/05/05~", "台中主要市區公所",
         "特殊訓練 結業證書字號 中社訓字第110001號", "1", "2小時00分鐘", "申請更正（特殊訓練）"],
    ]
    assert training["foot"] == [["合計（全部 3 筆）", "3", "20小時00分鐘"]]


def test_the_five_tabs_are_links_that_keep_the_tab_in_the_url(bear_client):
    content = bear_client.get(URL, {"tab": "insurance"}).content.decode()
    links = re.findall(r'<li><a href="\?tab=(\w+)"( aria-current="page")?>([^<]+)</a></li>', content)
    assert [(slug, name) for slug, _, name in links] == [
        ("training", "教育訓練時數"), ("book", "紀錄冊"), ("services", "服務時數"), ("insurance", "志工保險"),
        ("other", "其他登錄事項")]
    assert [slug for slug, current, _ in links if current] == ["insurance"]
    assert "<title>志工保險・服務紀錄" in content


def test_an_unknown_tab_shows_the_training_tab(bear_client):
    response = bear_client.get(URL, {"tab": "<script>"})
    assert response.status_code == 200
    assert table(response.content, "教育訓練時數")["body"]


def test_the_hours_tab_lists_every_units_records_newest_first_ten_a_page(bear_client):
    first = bear_client.get(URL, {"tab": "services"})
    rows = table(first.content, "服務時數，由新到舊")
    assert rows["head"] == ["序號", "服務項目", "服務內容", "服務日期", "服務時數", "服務運用單位", "登錄人",
                            "更正申請"]
    assert len(rows["body"]) == 10
    assert rows["body"][:3] == [
        ["1", "綜合服務", "電話問安", "115/03/01~115/03/30", "12", TEAM, "何小倫", "申請更正（電話問安）"],
        ["2", "環保服務", "環保服務", "115/03/01~115/03/30", "9", TEAM, "何小倫", "申請更正（環保服務）"],
        ["3", "綜合服務", "電話諮商", "115/03/01~115/03/20", "12", "臺中市樂樂發展協會(測試用)", "何小倫",
         "申請更正（電話諮商）"],
    ]
    assert "共有：16筆，第 1 / 2 頁" in text(first.content)
    second = table(bear_client.get(URL, {"tab": "services", "page": "2"}).content, "服務時數，由新到舊")["body"]
    assert [row[0] for row in second] == ["11", "12", "13", "14", "15", "16"]
    assert second[-1] == ["16", "社區服務", "社區關懷據點服務", "111/11/01~111/11/30", "16",
                          "臺中市樂樂發展協會(測試用)", "何小倫", "申請更正（社區關懷據點服務）"]
    units = {row[5] for row in rows["body"] + second}
    assert units == {TEAM, "臺中市樂樂發展協會(測試用)", "1-187臺中市志願服務推廣中心志工隊"}


def test_a_page_number_out_of_range_shows_the_last_page(bear_client):
    rows = table(bear_client.get(URL, {"tab": "services", "page": "99"}).content, "服務時數，由新到舊")["body"]
    assert rows[0][0] == "11"
    rows = table(bear_client.get(URL, {"tab": "services", "page": "abc"}).content, "服務時數，由新到舊")["body"]
    assert rows[0][0] == "1"


def test_the_hours_tab_totals_each_year_and_overall(bear_client):
    content = bear_client.get(URL, {"tab": "services"}).content
    years = table(content, "各年度服務時數與筆數")
    assert years["body"] == [["115年", "3", "33 小時"], ["114年", "2", "11 小時"], ["113年", "5", "40.7 小時"],
                             ["112年", "5", "67 小時"], ["111年", "1", "16 小時"]]
    assert years["foot"] == [["總計", "16", "167.7 小時"]]
    assert "累計服務時數 167.7 小時" in text(content)


def test_the_chart_is_svg_whose_figures_screen_readers_can_read(bear_client):
    content = bear_client.get(URL, {"tab": "services"}).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", content, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="hours-chart-title hours-chart-desc"' in svg
    assert "115年 33 小時；114年 11 小時；113年 40.7 小時；112年 67 小時；111年 16 小時" in svg
    assert svg.count("<rect") == 5
    assert "style=" not in content  # the Content-Security-Policy forbids inline styles


def test_pending_and_declined_self_reports_are_shown_apart_and_not_counted(volunteer_client, service_record):
    service_record(hours="3", start=D(2025, 1, 1))
    service_record(hours="5", start=D(2025, 2, 1), content="自填：長者陪伴", status=ServiceRecord.Status.PENDING,
                   self_reported=True)
    service_record(hours="2", start=D(2025, 3, 1), content="自填：活動", status=ServiceRecord.Status.DECLINED,
                   self_reported=True, decline_reason="日期與排班不符")
    content = volunteer_client.get(URL, {"tab": "services"}).content
    assert [row[2] for row in table(content, "服務時數，由新到舊")["body"]] == ["電話問安"]
    pending = table(content, "自行填報")["body"]
    assert [row[0] for row in pending] == ["已退回 原因：日期與排班不符", "待審核"]
    assert "尚未列入上方的統計" in text(content)
    assert 'href="/me/report-hours/"' in content.decode()  # where self-reports are made
    assert table(content, "各年度服務時數與筆數")["foot"] == [["總計", "1", "3 小時"]]


def test_a_record_annotated_as_misuse_is_listed_marked_and_not_counted(volunteer_client, service_record):
    service_record(hours="3", start=D(2025, 1, 1))
    service_record(hours="7", start=D(2025, 2, 1), content="借用紀錄冊", misuse_note="冒用他人紀錄冊")
    content = volunteer_client.get(URL, {"tab": "services"}).content
    assert table(content, "服務時數，由新到舊")["body"][0][2] == "借用紀錄冊 不予採計"
    assert table(content, "各年度服務時數與筆數")["foot"] == [["總計", "2", "3 小時"]]


def test_the_hours_tab_shows_a_new_record_at_once_despite_its_cache(volunteer_client, service_record):
    service_record(hours="3", start=D(2025, 1, 1))
    assert "共有：1筆" in text(volunteer_client.get(URL, {"tab": "services"}).content)
    record = service_record(hours="4", start=D(2025, 6, 1), content="新登錄的服務")
    content = volunteer_client.get(URL, {"tab": "services"}).content
    assert table(content, "服務時數，由新到舊")["body"][0][2] == "新登錄的服務"
    ServiceRecord.objects.filter(pk=record.pk).update(hours=Decimal("6"))
    assert "累計服務時數 9 小時" in text(volunteer_client.get(URL, {"tab": "services"}).content)


def test_the_book_tab_shows_number_authority_date_and_status(bear_client):
    content = bear_client.get(URL, {"tab": "book"}).content
    books = table(content, "志願服務紀錄冊")
    assert books["head"] == ["紀錄冊號", "發給單位", "發冊日期", "類別", "狀態", "申請單位", "更正申請"]
    assert books["body"] == [["TC110-000123", "臺中市政府社會局", "110/11/01", "社會福利類", "有效 初次", TEAM,
                               "申請更正（TC110-000123）"]]


def test_a_cancelled_book_is_marked(volunteer_client, volunteer, authority):
    RecordBook.objects.create(volunteer=volunteer, authority=authority, number="OLD-1", issued_on=D(2010, 1, 1),
                              status=RecordBook.Status.CANCELLED, cancelled_on=D(2019, 5, 1), category="education")
    row = table(volunteer_client.get(URL, {"tab": "book"}).content, "志願服務紀錄冊")["body"][0]
    assert row[:5] == ["OLD-1", "臺中市政府社會局", "099/01/01", "教育類", "已註銷 108/05/01"]


def test_the_insurance_tab_lists_each_policy_with_its_period_sums_and_paying_unit(bear_client):
    content = bear_client.get(URL, {"tab": "insurance"}).content
    policies = table(content, "志工保險")
    assert policies["head"] == ["保險公司", "保單號碼", "保險期間", "意外險保額", "醫療險保額", "投保單位", "狀態",
                                "更正申請"]
    assert [row[:6] for row in policies["body"]] == [
        ["富邦產物保險", "FB-115-VOL-0299", "115/01/01~115/12/31", "1,000,000 元", "30,000 元", TEAM],
        ["富邦產物保險", "FB-114-VOL-0299", "114/01/01~114/12/31", "1,000,000 元", "30,000 元", TEAM],
    ]


def test_the_insurance_tab_says_clearly_when_there_is_no_current_cover(volunteer_client, volunteer, make_policy):
    make_policy(D(2020, 1, 1), D(2020, 12, 31), volunteer)
    content = volunteer_client.get(URL, {"tab": "insurance"}).content
    assert "目前沒有有效的志工保險紀錄" in text(content)
    assert table(content, "志工保險")["body"][0][-2] == "已到期"


def test_the_other_tab_lists_other_items_newest_first(volunteer_client, volunteer, unit_a):
    OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title="志工隊小隊長", content="排班",
                             start_date=D(2024, 1, 1), end_date=D(2024, 12, 31))
    OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title="特殊事蹟", start_date=D(2025, 3, 3))
    rows = table(volunteer_client.get(URL, {"tab": "other"}).content, "其他登錄事項")["body"]
    assert rows == [["特殊事蹟", "—", "114/03/03", TEAM, "申請更正（特殊事蹟）"],
                    ["志工隊小隊長", "排班", "113/01/01~113/12/31", TEAM, "申請更正（志工隊小隊長）"]]


@pytest.mark.parametrize("tab, message", [
    ("training", "目前還沒有教育訓練紀錄"),
    ("book", "您目前還沒有志願服務紀錄冊"),
    ("services", "目前還沒有已核定的服務時數"),
    ("insurance", "目前沒有任何志工保險紀錄"),
    ("other", "目前沒有其他登錄事項"),
])
def test_every_tab_has_a_friendly_empty_state(volunteer_client, tab, message):
    response = volunteer_client.get(URL, {"tab": tab})
    assert response.status_code == 200
    assert message in text(response.content)


def test_every_tab_pages_ten_rows_at_a_time(volunteer_client, volunteer, make_training, service_record, unit_a):
    for day in range(1, 13):
        make_training(start=D(2024, 1, day))
        service_record(start=D(2024, 1, day))
        OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title=f"事項{day}", start_date=D(2024, 1, day))
    for tab, caption in [("training", "教育訓練時數"), ("services", "服務時數，由新到舊"), ("other", "其他登錄事項")]:
        first = table(volunteer_client.get(URL, {"tab": tab}).content, caption)["body"]
        second = volunteer_client.get(URL, {"tab": tab, "page": 2}).content
        assert (len(first), len(table(second, caption)["body"])) == (10, 2)
        assert f'href="?tab={tab}&amp;page=1' in second.decode()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL, {"tab": "services"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_odd_page_number_never_poisons_the_cached_first_page(bear_client):
    for odd in ["0", "-1", "99999999"]:
        assert table(bear_client.get(URL, {"tab": "services", "page": odd}).content,
                     "服務時數，由新到舊")["body"][0][0] == "11"
    assert table(bear_client.get(URL, {"tab": "services"}).content, "服務時數，由新到舊")["body"][0][0] == "1"
    assert table(bear_client.get(URL, {"tab": "services", "page": "1"}).content,
                 "服務時數，由新到舊")["body"][0][0] == "1"
