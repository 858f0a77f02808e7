import datetime as dt

import pytest

from volnet.portal.tests.html import text

pytestmark = pytest.mark.django_db


def test_signing_in_lands_on_my_file(settings):
    assert settings.LOGIN_REDIRECT_URL == "portal:home"


def test_the_overview_shows_the_key_figures_of_the_demo_volunteer(bear_client):
    page = text(bear_client.get("/me/").content)
    assert "累計服務時數 167.7 小時" in page
    assert "今年（115年）服務時數 33 小時" in page
    assert "教育訓練時數 20小時00分鐘" in page
    assert "TC110-000123 臺中市政府社會局 110/11/01 發冊（初次）" in page
    assert "有效期限至 117/06/30" in page
    assert "富邦產物保險，保險期間至 115/12/31" in page


def test_the_overview_carries_the_manuals_menu_in_its_order(bear_client):
    content = bear_client.get("/me/").content.decode()
    menu = content[content.index('aria-label="我的檔案選單"'):content.index("</nav>", content.index("我的檔案選單"))]
    items = ["服務紀錄", "榮譽紀錄", "應徵紀錄", "電子榮譽卡", "志願服務紀錄冊列印", "我的檔案", "電子相簿", "登入訊息"]
    assert [item for item in items if item in menu] == items
    positions = [menu.index(f">{item}</a>") for item in items]
    assert positions == sorted(positions)
    for url in ["/me/services/", "/me/honors/", "/me/applications/", "/me/profile/", "/albums/", "/accounts/sign-ins/"]:
        assert f'href="{url}"' in menu


def test_a_new_volunteer_sees_zeros_and_what_to_do(volunteer_client):
    page = text(volunteer_client.get("/me/").content)
    assert "累計服務時數 0 小時" in page
    assert "尚未領冊" in page
    assert "目前沒有有效的榮譽卡" in page
    assert "目前沒有有效保險" in page


def test_an_expired_policy_does_not_count_as_cover(volunteer_client, volunteer, make_policy):
    make_policy(dt.date(2020, 1, 1), dt.date(2020, 12, 31), volunteer)
    assert "目前沒有有效保險" in text(volunteer_client.get("/me/").content)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
