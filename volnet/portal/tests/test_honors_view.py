import datetime as dt

import pytest

from volnet.honorcard.models import HonorCard
from volnet.portal.tests.html import table, text
from volnet.records.models import Award

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_shows_the_demo_volunteers_card_and_award(bear_client):
    content = bear_client.get("/me/honors/").content
    assert table(content, "志願服務榮譽卡")["body"] == [
        ["TC-HC-114-00088", "臺中市政府社會局", "114/06/30~117/06/30", "有效"]]
    assert table(content, "其他獎項表揚")["body"] == [
        ["臺中市績優志工表揚", "績優志工", "113/12/05", "臺中市政府", "中市社字第1130001234號",
         "申請更正（臺中市績優志工表揚）"]]
    page = text(content)
    assert "目前沒有衛生福利獎勵紀錄" in page and "目前沒有志願服務獎勵紀錄" in page
    assert 'href="/honor-card/"' in content.decode()


def test_it_shows_awards_of_all_three_kinds_newest_first(volunteer_client, volunteer):
    def award(kind, name, day, level=""):
        Award.objects.create(volunteer=volunteer, kind=kind, name=name, level=level, awarded_on=day,
                             granted_by="衛生福利部")

    award(Award.Kind.HEALTH_WELFARE, "衛生福利志願服務獎勵", D(2020, 9, 1), "銅質徽章")
    award(Award.Kind.HEALTH_WELFARE, "衛生福利志願服務獎勵", D(2023, 9, 1), "銀質徽章")
    award(Award.Kind.VOLUNTEER_SERVICE, "志願服務績優獎", D(2024, 9, 1), "銅牌獎")
    award(Award.Kind.OTHER, "志願服務獎章", D(2022, 5, 1), "三等")
    content = volunteer_client.get("/me/honors/").content
    assert [row[1] for row in table(content, "衛生福利獎勵")["body"]] == ["銀質徽章", "銅質徽章"]
    assert [row[1] for row in table(content, "志願服務獎勵")["body"]] == ["銅牌獎"]
    assert [row[1] for row in table(content, "其他獎項表揚")["body"]] == ["三等"]


def test_it_tells_each_cards_validity(volunteer_client, volunteer, authority):
    today = dt.date.today()
    HonorCard.objects.create(volunteer=volunteer, authority=authority, number="OLD", valid_from=D(2015, 1, 1),
                             valid_to=D(2018, 1, 1))
    HonorCard.objects.create(volunteer=volunteer, authority=authority, number="REVOKED", valid_from=D(2019, 1, 1),
                             valid_to=D(2022, 1, 1), status=HonorCard.Status.REVOKED)
    HonorCard.objects.create(volunteer=volunteer, authority=authority, number="NEXT",
                             valid_from=today + dt.timedelta(days=30), valid_to=today + dt.timedelta(days=1000))
    content = volunteer_client.get("/me/honors/").content
    states = {row[0]: row[3] for row in table(content, "志願服務榮譽卡")["body"]}
    assert states == {"OLD": "已過期", "REVOKED": "已註銷", "NEXT": "尚未生效"}
    assert "出示電子榮譽卡" not in text(content)


def test_a_volunteer_without_honors_sees_friendly_empty_states(volunteer_client):
    page = text(volunteer_client.get("/me/honors/").content)
    assert "目前沒有志願服務榮譽卡紀錄" in page
    assert "服務滿 3 年且服務時數達 300 小時" in page
    for label in ["衛生福利獎勵", "志願服務獎勵", "其他獎項表揚"]:
        assert f"目前沒有{label}紀錄" in page
