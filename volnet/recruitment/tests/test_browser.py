"""A volunteer finds an opening on a phone and applies; the unit accepts; the volunteer sees the unit's album."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.units.models import Membership

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def album_with_photo(unit_a, supervisor_a, settings, tmp_path):
    from volnet.albums import services
    from volnet.albums.models import Album
    from volnet.albums.tests.conftest import jpeg_with_exif, upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    album = Album.objects.create(unit=unit_a, title="中秋關懷活動", created_by=supervisor_a)
    services.add_photos(album,
                        [upload("a.jpg", jpeg_with_exif()), upload("b.jpg", jpeg_with_exif(color=(20, 90, 160)))],
                        actor=supervisor_a, caption="志工與長者合影")
    return album


def test_the_public_list_and_detail_are_accessible_on_a_phone(live_server, page, posting_factory):
    posting_factory(title="社區長者電話問安志工")
    posting_factory(title="圖書推車服務志工", place="臺中市北區", service_item="綜合服務")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/recruitment/")
    expect(page.get_by_role("heading", name="志工招募")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("地區或關鍵字").fill("北區")
    page.get_by_role("button", name="搜尋").click()
    expect(page.get_by_role("link", name="圖書推車服務志工")).to_be_visible()
    expect(page.get_by_role("link", name="社區長者電話問安志工")).to_have_count(0)
    page.get_by_role("link", name="圖書推車服務志工").click()
    expect(page.get_by_role("heading", name="圖書推車服務志工", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="登入後應徵")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_apply_accept_and_see_the_album(live_server, signed_in_page, posting_factory, newcomer, supervisor_a, unit_a,
                                        album_with_photo):
    posting_factory(title="中秋關懷志工")

    # The volunteer browses on a phone and applies.
    page = signed_in_page(newcomer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/recruitment/")
    page.get_by_role("link", name="中秋關懷志工").click()
    page.get_by_label("想對招募單位說的話").fill("週末都可以")
    page.get_by_role("button", name="我要應徵").click()
    expect(page.get_by_text("已送出應徵「中秋關懷志工」")).to_be_visible()
    expect(page.get_by_text("審核中").first).to_be_visible()
    assert_accessible(page)

    # The unit accepts.
    page = signed_in_page(supervisor_a)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/recruitment/manage/")
    page.get_by_role("link", name="中秋關懷志工").click()
    expect(page.get_by_text("週末都可以")).to_be_visible()
    page.get_by_role("button", name="錄取 王小明", exact=True).click()
    expect(page.get_by_text("已錄取 王小明，並加入")).to_be_visible()
    assert Membership.objects.filter(volunteer=newcomer, unit=unit_a, status="active").exists()

    # The volunteer, now a member, sees the unit's album.
    page = signed_in_page(newcomer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/albums/")
    assert_accessible(page)
    page.get_by_role("link", name="中秋關懷活動").click()
    thumbnails = page.get_by_role("img", name="志工與長者合影")
    expect(thumbnails).to_have_count(2)
    page.wait_for_function("() => [...document.images].every(i => i.complete)")  # images load after the HTML
    assert page.evaluate(
        "[...document.querySelectorAll('.photo-grid img')].every(i => i.complete && i.naturalWidth > 0)")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="志工與長者合影").first.click()
    expect(page.get_by_text("第 1 張，共 2 張")).to_be_visible()
    page.wait_for_function("() => [...document.images].every(i => i.complete)")  # images load after the HTML
    assert page.evaluate("document.querySelector('.photo-full img').naturalWidth") == 1200
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.keyboard.press("ArrowRight")  # the keyboard turns the page
    page.get_by_text("第 2 張，共 2 張").wait_for()


def test_a_non_member_is_told_nothing_about_the_album(live_server, signed_in_page, other_volunteer, album_with_photo):
    page = signed_in_page(other_volunteer)
    response = page.goto(f"{live_server.url}/albums/{album_with_photo.pk}/")
    assert response.status == 404
    page.goto(live_server.url + "/albums/")
    expect(page.get_by_text("目前沒有相簿")).to_be_visible()
    assert_accessible(page)
