"""In Chromium: adding a volunteer, the monthly grid, and no axe-core violations on the main pages."""

import datetime as dt
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import make_person
from volnet.accounts.models import User
from volnet.records import services
from volnet.records.models import ServiceRecord
from volnet.units.models import Membership

pytestmark = pytest.mark.browser


@pytest.fixture
def second(unit_a):
    person = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=person, unit=unit_a, volunteer_number="002")
    return person


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_a_supervisor_adds_a_new_volunteer_and_reads_the_password_once(signed_in_page, supervisor_a, live_server):
    page = signed_in_page(supervisor_a)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/backoffice/volunteers/")
    page.get_by_role("link", name="新增志工").first.click()
    page.get_by_label("身分證號碼(居留證號碼)").fill("f 222222222")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("還沒有帳號")).to_be_visible()
    page.get_by_label("姓名").fill("林阿嬤")
    page.get_by_label("出生年月日").fill("39/2/2")
    page.get_by_role("textbox", name="電子信箱").fill("not-mail")
    page.get_by_role("button", name="建立帳號並加入本單位").click()
    expect(page.get_by_role("alert").get_by_text("電子信箱")).to_be_visible()
    assert page.get_by_label("姓名").input_value() == "林阿嬤"
    page.get_by_role("textbox", name="電子信箱").fill("")
    page.get_by_role("button", name="建立帳號並加入本單位").click()
    expect(page.get_by_role("heading", name="林阿嬤 的臨時密碼")).to_be_visible()
    password = page.locator("#temporary-password").inner_text()
    person = User.objects.get(national_id="F222222222")
    assert person.check_password(password) and person.must_change_password
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.reload()
    expect(page.get_by_text("已經顯示過了")).to_be_visible()
    page.goto(live_server.url + "/backoffice/volunteers/")
    row = page.get_by_role("row").filter(has_text="林阿嬤")
    assert "F22222****" in row.inner_text()


def test_a_supervisor_fills_the_monthly_grid_fixes_a_cell_and_saves(signed_in_page, supervisor_a, volunteer, second,
                                                                   live_server):
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/backoffice/services/grid/?month=114/03")
    page.get_by_label("預設服務內容").fill("電話問安")
    page.get_by_role("textbox", name="測試熊 時數").fill("12")
    page.get_by_role("textbox", name="王小明 時數").fill("3.55")
    page.get_by_role("textbox", name="王小明 服務內容").fill("關懷訪視")
    page.get_by_role("button", name="全部儲存").click()
    expect(page.get_by_text("時數最多一位小數")).to_be_visible()
    assert not ServiceRecord.objects.exists()
    assert page.get_by_role("textbox", name="測試熊 時數").input_value() == "12"
    assert page.get_by_role("textbox", name="王小明 服務內容").input_value() == "關懷訪視"
    no_violations(page)
    page.get_by_role("textbox", name="王小明 時數").fill("3.5")
    page.get_by_role("button", name="全部儲存").click()
    expect(page.get_by_text("已登錄 2 位志工、共 15.5 小時")).to_be_visible()
    saved = {r.volunteer.name: (r.hours, r.content) for r in ServiceRecord.objects.select_related("volunteer")}
    assert saved == {"測試熊": (Decimal("12"), "電話問安"), "王小明": (Decimal("3.5"), "關懷訪視")}


def test_the_grid_reads_as_one_card_per_volunteer_on_a_phone(signed_in_page, supervisor_a, volunteer, second,
                                                            live_server):
    page = signed_in_page(supervisor_a)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/backoffice/services/grid/?month=114/03")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    hours = page.get_by_role("textbox", name="王小明 時數").bounding_box()
    assert hours["width"] >= 44 and hours["height"] >= 44
    no_violations(page)


def test_approving_in_bulk_with_the_check_all_button(signed_in_page, supervisor_a, volunteer, unit_a, live_server):
    for day in (1, 2):
        services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content=f"第{day}天",
                              start_date=dt.date(2025, 4, day), hours=Decimal("2"))
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/backoffice/services/pending/")
    no_violations(page)
    page.get_by_role("button", name="全部勾選").click()
    page.get_by_role("button", name="核定勾選的時數").click()
    expect(page.get_by_text("已核定 2 筆時數")).to_be_visible()
    assert set(ServiceRecord.objects.values_list("status", flat=True)) == {"approved"}


@pytest.mark.parametrize("path", [
    "/backoffice/",
    "/backoffice/volunteers/",
    "/backoffice/volunteers/add/",
    "/backoffice/services/",
    "/backoffice/services/add/",
    "/backoffice/trainings/add/",
    "/backoffice/insurance/add/",
    "/backoffice/other-items/add/",
    "/backoffice/awards/add/",
    "/backoffice/audit/",
])
def test_the_main_pages_have_no_accessibility_violations(signed_in_page, supervisor_a, volunteer, second,
                                                         service_record, live_server, path):
    service_record()
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + path)
    no_violations(page)


def test_pages_with_errors_and_details_have_no_accessibility_violations(signed_in_page, supervisor_a, volunteer,
                                                                         service_record, live_server):
    record = service_record()
    services.update_service(record, actor=supervisor_a, hours=Decimal("3"))
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + f"/backoffice/volunteers/{volunteer.pk}/")
    no_violations(page)
    page.goto(live_server.url + f"/backoffice/services/{record.pk}/history/")
    no_violations(page)
    page.goto(live_server.url + "/backoffice/services/add/")
    page.get_by_label("服務時數").fill("2.25")
    page.get_by_label("服務起日").fill("114/02/30")
    page.get_by_role("button", name="儲存", exact=True).click()
    expect(page.get_by_text("最多一位小數").first).to_be_visible()
    assert page.get_by_label("服務時數").get_attribute("aria-invalid") == "true"
    no_violations(page)
    page.goto(live_server.url + "/backoffice/volunteers/add/")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("這個欄位是必須的").first).to_be_visible()
    no_violations(page)


def test_the_self_report_page_has_no_accessibility_violations(signed_in_page, volunteer, live_server):
    page = signed_in_page(volunteer)
    page.goto(live_server.url + "/me/report-hours/")
    page.get_by_label("服務項目").fill("圖書服務")
    page.get_by_label("服務時數").fill("30")
    page.get_by_label("服務內容").fill("圖書整理")
    page.get_by_label("服務日期（起）").fill("114/04/01")
    page.get_by_role("button", name="送出填報").click()
    expect(page.get_by_text("超過一天最多的 24 小時").first).to_be_visible()
    assert page.get_by_label("服務內容").input_value() == "圖書整理"
    no_violations(page)
