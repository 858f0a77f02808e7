import pytest

from volnet.audit.models import AuditEntry
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal.tests.html import table, text

pytestmark = pytest.mark.django_db
URL = "/me/profile/"


def _post(client, **fields):
    data = {"phone": "0912-345-678", "address": "臺中市西屯區臺灣大道三段99號", "emergency_contact": "測試媽媽",
            "emergency_phone": "04-2222-3333", "email": "test.bear@example.tw", "current_password": BEAR_PASSWORD}
    data.update(fields)
    return client.post(URL, data)


def test_it_shows_what_the_units_hold_with_the_id_masked(bear_client):
    content = bear_client.get(URL).content
    page = text(content)
    assert "姓名 測試熊" in page
    assert "身分證號碼 E12233****" in page and "E122333441" not in content.decode()
    assert "出生年月日 070/05/20" in page
    assert "如需更正，請洽您服務的運用單位" in page
    units = table(content, "服務或曾服務的運用單位")["body"]
    assert [row[0] for row in units] == ["1-187臺中市志願服務推廣中心志工隊",
                                         "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)",
                                         "臺中市樂樂發展協會(測試用)"] or len(units) == 3
    assert 'value="0912-345-678"' in content.decode()


def test_name_id_and_birth_date_cannot_be_changed_here(bear_client, bear):
    _post(bear_client, name="改名", national_id="A123456789", birth_date="080/01/01")
    bear.refresh_from_db()
    assert (bear.name, bear.national_id, str(bear.birth_date)) == ("測試熊", "E122333441", "1981-05-20")


def test_the_volunteer_can_change_phone_address_and_emergency_contact(bear_client, bear):
    response = _post(bear_client, phone="04-2345-6789", address="臺中市北區三民路三段1號", emergency_contact="測試爸爸",
                     emergency_phone="0933-111-222")
    assert response.status_code == 302
    bear.refresh_from_db()
    assert (bear.phone, bear.address, bear.emergency_contact, bear.emergency_phone) == (
        "04-2345-6789", "臺中市北區三民路三段1號", "測試爸爸", "0933-111-222")
    entry = AuditEntry.objects.get(action="portal.profile.updated")
    assert entry.volunteer == bear and entry.changes["phone"] == ["0912-345-678", "04-2345-6789"]
    assert "聯絡資料已儲存" in text(bear_client.get(URL).content)


def test_bad_input_gets_a_chinese_message_and_keeps_what_was_typed(bear_client, bear):
    response = _post(bear_client, phone="打電話給我", email="not-an-email", address="臺中市" * 80)
    assert response.status_code == 400
    page = text(response.content)
    assert "電話請填寫數字" in page
    assert "電子信箱格式不正確" in page
    assert "內容太長，最多 200 個字" in page
    assert 'value="打電話給我"' in response.content.decode()
    bear.refresh_from_db()
    assert bear.phone == "0912-345-678"


def test_an_email_on_file_cannot_simply_be_blanked(bear_client, bear):
    response = _post(bear_client, email="")
    assert response.status_code == 400
    assert "若要刪除信箱，請洽您的運用單位" in text(response.content)


def test_saving_without_changes_says_so(bear_client):
    _post(bear_client)
    assert "資料沒有變更" in text(bear_client.get(URL).content)


def test_the_page_is_never_cached_by_the_browser(bear_client):
    assert "no-cache" in bear_client.get(URL)["Cache-Control"]
