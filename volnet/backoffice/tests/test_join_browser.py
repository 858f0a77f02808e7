"""The consent flow in Chromium on a 360 px phone (issue 11): a supervisor asks an existing volunteer to
join and sees only the masked name; the volunteer signs in, finds the request on 我的檔案 and accepts; the
supervisor then sees the contact data and corrects the phone, which the volunteer reads in 登入訊息.
Every page passes axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import PASSWORD
from volnet.units.models import Membership

pytestmark = pytest.mark.browser

UNIT_A = "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_unit_asks_the_volunteer_accepts_and_the_unit_can_then_act(live_server, page, signed_in_page, supervisor_a,
                                                                     unit_a, other_volunteer, test_captcha):
    other_volunteer.email = "datong@example.tw"
    other_volunteer.phone = "0933-444-555"
    other_volunteer.save()
    page.set_viewport_size({"width": 360, "height": 740})

    # The supervisor asks: the masked name only.
    signed_in_page(supervisor_a)
    page.goto(live_server.url + f"/backoffice/volunteers/?unit={unit_a.pk}")
    page.get_by_role("link", name="新增志工").first.click()
    page.get_by_label("身分證號碼(居留證號碼)").fill("F135792464")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="這位志工已有帳號")).to_be_visible()
    expect(page.get_by_text("陳○同")).to_be_visible()
    assert "陳大同" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="送出加入邀請").click()
    expect(page.get_by_text("已向 陳○同 送出加入")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="陳○同").get_by_text("待志工同意")).to_be_visible()
    assert "陳大同" not in page.content() and "datong" not in page.content()
    assert_accessible(page)

    # The volunteer signs in and accepts on 我的檔案.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("帳號").fill("F135792464")
    page.get_by_label("密碼（必填）", exact=True).fill(PASSWORD)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="登入", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", name="有 1 個單位請您確認")).to_be_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("link", name="查看並回覆邀請").click()
    expect(page.get_by_role("heading", name=f"{UNIT_A} 邀請您加入")).to_be_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name=f"同意 加入 {UNIT_A}", exact=True).click()
    expect(page.get_by_text(f"您已同意加入 {UNIT_A}")).to_be_visible()
    expect(page.get_by_text("目前沒有需要您回覆的單位邀請")).to_be_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    assert Membership.objects.get(volunteer=other_volunteer, unit=unit_a).status == "active"

    # The supervisor now sees who it is and may act: the phone is corrected.
    page.context.clear_cookies()
    signed_in_page(supervisor_a)
    page.goto(live_server.url + f"/backoffice/volunteers/?unit={unit_a.pk}")
    page.get_by_role("link", name="陳大同").click()
    expect(page.get_by_text("datong@example.tw")).to_be_visible()
    expect(page.get_by_text("0933-444-555")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="修改資料").click()
    page.get_by_label("電話", exact=True).fill("04-2222-3333")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("已更新 陳大同 的資料（電話）")).to_be_visible()

    # ...and the volunteer is told, in 登入訊息.
    page.context.clear_cookies()
    signed_in_page(other_volunteer)
    page.goto(live_server.url + "/accounts/sign-ins/")
    expect(page.get_by_text(f"{UNIT_A} 的 何小倫 修改了您的電話")).to_be_visible()
    assert_accessible(page)
