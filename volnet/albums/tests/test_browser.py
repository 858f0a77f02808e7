"""Staff create an album and upload photos in the browser; the pages pass axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.albums.models import Photo
from volnet.albums.tests.conftest import gif_bytes, jpeg_with_exif

pytestmark = pytest.mark.browser


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_staff_create_an_album_and_upload_photos(live_server, signed_in_page, supervisor_a, tmp_path):
    photos = []
    for i, content in enumerate([jpeg_with_exif(), jpeg_with_exif(color=(0, 100, 0))]):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(content)
        photos.append(path)
    junk = tmp_path / "animation.gif"
    junk.write_bytes(gif_bytes())

    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/albums/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="新增相簿").first.click()
    page.get_by_label("相簿名稱").fill("重陽敬老")
    page.get_by_label("活動日期").fill("115/10/29")
    assert_accessible(page)
    page.get_by_role("button", name="建立相簿").click()
    expect(page.get_by_text("已建立相簿「重陽敬老」")).to_be_visible()

    page.get_by_label("選擇相片").set_input_files([*photos, junk])
    page.get_by_label("相片說明").fill("敬老活動")
    page.get_by_role("button", name="上傳", exact=True).click()
    expect(page.get_by_text("已上傳 2 張相片")).to_be_visible()
    expect(page.get_by_text("未上傳：「animation.gif」是 GIF 格式")).to_be_visible()
    assert Photo.objects.count() == 2
    page.wait_for_function("() => [...document.images].every(i => i.complete)")  # images load after the HTML
    assert page.evaluate(
        "[...document.querySelectorAll('.photo-admin img')].every(i => i.complete && i.naturalWidth > 0)")
    assert_accessible(page)
    page.get_by_label("第 2 張相片說明").fill("大合照")
    page.get_by_role("button", name="儲存說明").nth(1).click()
    expect(page.get_by_text("已更新相片說明")).to_be_visible()
    assert sorted(Photo.objects.values_list("caption", flat=True)) == ["大合照", "敬老活動"]
