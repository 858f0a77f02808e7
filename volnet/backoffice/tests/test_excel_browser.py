"""In Chromium: upload a file with mistakes, read the preview, upload the corrected file, confirm."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.records.models import ServiceRecord
from volnet.records.tests.excel_files import service_row, xlsx

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"


def choose_file(page, name, data):
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])


def test_upload_preview_fix_and_confirm(signed_in_page, live_server, supervisor_a, volunteer):
    page = signed_in_page(supervisor_a)
    page.goto(f"{live_server.url}/backoffice/excel/")
    assert Axe().run(page).violations_count == 0

    wrong = xlsx([service_row(), service_row(start="114/02/30", end="", hours=3)])
    choose_file(page, "三月時數.xlsx", wrong)
    page.get_by_role("button", name="上傳並檢查").click()
    page.wait_for_url("**/imports/**")
    alert = page.get_by_role("alert").first
    assert "有 1 列需要修正" in alert.inner_text()
    row = page.locator("tr.is-error")
    assert row.locator("th").inner_text() == "3"
    assert "民國 114 年 2 月 30 日不存在" in row.inner_text()
    expect(page.get_by_role("button", name="確認匯入")).to_have_count(0)
    assert Axe().run(page).violations_count == 0

    fixed = xlsx([service_row(), service_row(start="114/02/28", end="", hours=3)])
    choose_file(page, "三月時數.xlsx", fixed)
    page.get_by_role("button", name="上傳並檢查").click()
    page.get_by_text("全部 2 列都可以匯入").wait_for()
    assert ServiceRecord.objects.count() == 0

    page.get_by_role("button", name="確認匯入 2 筆").click()
    page.get_by_text("已匯入 2 筆服務時數").wait_for()
    assert ServiceRecord.objects.filter(registrant=supervisor_a).count() == 2
    assert page.locator("#recent-imports ~ .table-scroll td.num").first.inner_text() == "2"


def test_the_page_works_on_a_phone(signed_in_page, live_server, supervisor_a, volunteer):
    page = signed_in_page(supervisor_a)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/backoffice/excel/")
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow
    button = page.get_by_role("button", name="上傳並檢查").bounding_box()
    assert button["height"] >= 44
    choice = page.locator("label.choice").first.bounding_box()
    assert choice["height"] >= 44


def test_volunteers_upload_preview_confirm_and_result(signed_in_page, live_server, supervisor_a, other_volunteer):
    """A new person and someone with an account: the preview says the second gets a join request, the result
    says how many were created and asked, and the asked person's data is left alone."""
    from volnet.people.tests.test_import_volunteers import HEADER, person_row
    from volnet.units.models import Membership

    page = signed_in_page(supervisor_a)
    page.goto(f"{live_server.url}/backoffice/excel/")
    page.get_by_label("志工資料").check()
    choose_file(page, "新志工.xlsx", xlsx([person_row(), person_row("F135792464", "陳大同", phone="0900-000-000")],
                                          HEADER, title="志工資料"))
    page.get_by_role("button", name="上傳並檢查").click()
    page.get_by_text("全部 2 列都可以匯入").wait_for()
    warned = page.locator("tr.is-warning")
    assert warned.locator("th").inner_text() == "3"
    assert "已有帳號：匯入時會送出加入本單位的邀請" in warned.inner_text()
    assert "F13579****" in warned.inner_text() and "F135792464" not in page.content()
    assert Axe().run(page).violations_count == 0
    assert not Membership.objects.filter(unit__code="2-299").exists()

    page.get_by_role("button", name="確認匯入 2 筆").click()
    page.get_by_text("已匯入 2 位志工").wait_for()
    assert "1 位建立帳號並加入本單位，1 位已有帳號，已送出加入邀請" in page.locator(".messages").inner_text()
    statuses = dict(Membership.objects.filter(unit__code="2-299").values_list("volunteer__national_id", "status"))
    assert statuses == {"A123456789": Membership.Status.ACTIVE, "F135792464": Membership.Status.PENDING}
    other_volunteer.refresh_from_db()
    assert other_volunteer.phone == ""
