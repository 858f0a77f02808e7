"""Chromium end to end: what a volunteer (or a staff member) does with the real pages."""

import io
import re
import wave

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD
from volnet.accounts import services
from volnet.accounts.models import User

pytestmark = pytest.mark.browser

NEW = "Garden-Party-2026"


def fill_login(page, national_id="E122333441", password=PASSWORD, captcha="PASSED"):
    page.get_by_label("帳號").fill(national_id)
    page.get_by_label("密碼（必填）", exact=True).fill(password)
    page.get_by_label("驗證碼（必填）", exact=True).fill(captcha)
    page.get_by_role("button", name="登入", exact=True).click()


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def mailed_link(mailbox, to, pattern):
    messages = mailbox.wait_for(1, to=to)
    assert messages, "no mail arrived"
    body = messages[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(pattern, body).group(0)


def test_login_success(live_server, page, volunteer, test_captcha):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="志工登入").first.click()
    fill_login(page)
    expect(page).to_have_url(re.compile(r"/me/$"))
    page.goto(live_server.url + "/accounts/sign-ins/")
    expect(page.get_by_role("cell", name="登入成功")).to_be_visible()


def test_login_failure_then_lockout(live_server, page, volunteer, test_captcha):
    page.goto(live_server.url + "/accounts/login/")
    fill_login(page, password="Wrong-Pass-2026x")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("帳號或密碼錯誤")
    expect(page.get_by_label("帳號")).to_have_value("E122333441")
    for _ in range(4):
        fill_login(page, password="Wrong-Pass-2026x")
    expect(page.get_by_role("alert")).to_contain_text("已暫停登入 15 分鐘")
    fill_login(page)  # the right password does not help now
    expect(page.get_by_role("alert")).to_contain_text("已暫停登入")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_audio_captcha_is_a_playable_wav_in_the_page(live_server, page, db):
    page.goto(live_server.url + "/accounts/login/")
    audio = page.locator("audio[data-captcha-audio]")
    expect(audio).to_have_attribute("aria-label", re.compile("語音驗證碼"))
    src = audio.get_attribute("src")
    response = page.request.get(live_server.url + src)
    assert response.ok and response.headers["content-type"] == "audio/wav"
    data = response.body()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 3 < seconds < 20
    # Chromium itself decodes it: metadata loads (each fetch is mixed anew, so the length varies a little)
    duration = page.evaluate(
        """() => new Promise((resolve) => {
            const el = document.querySelector("audio[data-captcha-audio]");
            el.addEventListener("loadedmetadata", () => resolve(el.duration), { once: true });
            el.addEventListener("error", () => resolve(-1), { once: true });
            el.preload = "auto";
            el.load();
        })"""
    )
    assert 3 < duration < 20
    # the button plays it in the page instead of navigating away
    page.get_by_role("link", name="使用語音播放驗證碼").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_refresh_swaps_the_captcha_without_leaving_the_page(live_server, page, db):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("帳號").fill("E122333441")
    key = page.locator("input[name=captcha_key]").input_value()
    page.get_by_role("link", name="換一張").click()
    expect(page.locator("input[name=captcha_key]")).not_to_have_value(key)
    new_key = page.locator("input[name=captcha_key]").input_value()
    expect(page.locator("img[data-captcha-image]")).to_have_attribute("src", re.compile(new_key))
    expect(page.get_by_label("帳號")).to_have_value("E122333441")  # typed data stays
    # The new picture loads (the browser fetches it after the src changes; wait for that, not a fixed time).
    page.wait_for_function("() => { const i = document.querySelector('img[data-captcha-image]');"
                           " return i.complete && i.naturalWidth > 0; }")
    assert page.evaluate("() => document.querySelector('img[data-captcha-image]').naturalWidth") == 160


def test_the_whole_forgotten_password_flow_by_mail(live_server, page, volunteer, test_captcha, mailbox, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="忘記密碼").click()
    page.get_by_label("身分證號碼(居留證號碼)").fill("e122333441")
    page.get_by_label("出生年月日").fill("70/05/20")
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="確定重置密碼").click()
    expect(page.get_by_text("重置密碼連結已寄出")).to_be_visible()
    expect(page.get_by_text("b***@example.tw")).to_be_visible()

    link = mailed_link(mailbox, "bear@example.tw", r"http://\S+/accounts/password/reset/\S+/")
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    rules = page.locator("[data-password-rules] li")
    expect(rules.filter(has_text="包含大寫字母")).not_to_have_class(re.compile("is-met"))
    page.get_by_label("密碼（必填）", exact=True).press_sequentially("garden")
    expect(rules.filter(has_text="包含小寫字母")).to_have_class(re.compile("is-met"))
    expect(rules.filter(has_text="包含大寫字母")).not_to_have_class(re.compile("is-met"))
    page.get_by_label("密碼（必填）", exact=True).fill(NEW)
    page.get_by_label("密碼（必填）", exact=True).dispatch_event("input")
    expect(page.locator("[data-password-rules] li.is-met")).to_have_count(4)
    expect(page.locator("[data-rules-status]")).to_have_text("密碼設定原則已全部符合")
    page.get_by_label("再次輸入密碼").fill(NEW)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="確定重置密碼").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("密碼已重新設定完成，請以新密碼登入")).to_be_visible()
    fill_login(page, password=NEW)
    expect(page).to_have_url(re.compile(r"/me/$"))
    # the link is spent
    page.goto(link)
    expect(page.get_by_role("heading", name="重置密碼連結已失效")).to_be_visible()


def test_sign_up_with_email_verification(live_server, page, db, test_captcha, mailbox, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="加入會員").click()
    page.get_by_label("身分證號碼(居留證號碼)").fill("A123456789")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("出生年月日").fill("79/01/01")
    page.get_by_label("電子信箱").fill("ming@example.tw")
    page.get_by_label("電話").fill("0912345678")
    page.get_by_label("密碼（必填）", exact=True).fill(NEW)
    page.get_by_label("再次輸入密碼").fill(NEW)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_role("heading", name="請至信箱完成驗證")).to_be_visible()

    page.goto(live_server.url + "/accounts/login/")
    fill_login(page, "A123456789", NEW)
    expect(page.get_by_role("alert")).to_contain_text("尚未完成驗證")

    link = mailed_link(mailbox, "ming@example.tw", r"http://\S+/accounts/sign-up/verify/\S+/")
    page.goto(link)
    expect(page.get_by_text("電子信箱驗證完成")).to_be_visible()
    fill_login(page, "A123456789", NEW)
    expect(page).to_have_url(re.compile(r"/me/$"))
    assert User.objects.filter(national_id="A123456789").count() == 1


def test_a_temporary_password_must_be_changed_first(live_server, page, volunteer, supervisor_a, test_captcha):
    temporary = services.set_temporary_password(volunteer, supervisor_a)
    page.goto(live_server.url + "/accounts/login/?next=/accounts/sign-ins/")
    fill_login(page, password=temporary)
    expect(page).to_have_url(re.compile(r"/accounts/password/change-required/$"))
    expect(page.get_by_text("您目前使用的是臨時密碼")).to_be_visible()
    page.goto(live_server.url + "/accounts/sign-ins/")
    expect(page).to_have_url(re.compile(r"/accounts/password/change-required/$"))
    page.get_by_label("密碼（必填）", exact=True).fill(NEW)
    page.get_by_label("再次輸入密碼").fill(NEW)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="確定重置密碼").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-ins/$"))
    expect(page.get_by_text("密碼已更新")).to_be_visible()


def test_staff_sign_in_with_totp(live_server, page, supervisor_a, test_captcha):
    device = TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="志工後台").click()
    expect(page).to_have_url(re.compile(r"/accounts/staff/login/"))
    page.get_by_label("帳號").fill("B223456782")
    page.get_by_label("密碼（必填）", exact=True).fill(PASSWORD)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="登入志工後台").click()
    expect(page.get_by_role("heading", name="兩步驟驗證")).to_be_visible()
    page.get_by_label("驗證器 6 位數字").fill(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.get_by_role("button", name="確認登入").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))


def test_staff_enrol_totp_in_the_browser(live_server, signed_in_page, supervisor_a):
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/accounts/staff/security/")
    page.get_by_role("button", name="開始設定兩步驟驗證").click()
    expect(page.locator("figure svg")).to_be_visible()
    assert_no_axe_violations(page)
    device = TOTPDevice.objects.get(user=supervisor_a)
    page.get_by_label("驗證器 6 位數字").fill(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.get_by_role("button", name="啟用").click()
    expect(page.get_by_text("兩步驟驗證已啟用").first).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password/forgot/", "/accounts/sign-up/", "/accounts/staff/login/"]
)
def test_public_account_pages_have_no_accessibility_violations(live_server, page, db, path):
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)


def test_pages_with_errors_have_no_accessibility_violations(live_server, page, db, test_captcha):
    page.goto(live_server.url + "/accounts/sign-up/")
    page.get_by_label("身分證號碼(居留證號碼)").fill("A123456788")
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_reset_page_has_no_accessibility_violations(live_server, page, volunteer, settings):
    settings.SITE_URL = live_server.url
    page.goto(services.reset_url(volunteer))
    expect(page.get_by_role("heading", name="重置密碼")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_sign_in_events_page_has_no_accessibility_violations(live_server, signed_in_page, volunteer):
    from volnet.accounts.models import SignInEvent

    SignInEvent.objects.create(user=volunteer, result="bad_credentials", ip_address="203.0.113.9", user_agent="Phone")
    SignInEvent.objects.create(user=volunteer, result="success", ip_address="203.0.113.9", user_agent="Phone")
    page = signed_in_page(volunteer)
    page.goto(live_server.url + "/accounts/sign-ins/")
    expect(page.get_by_role("heading", name="登入訊息")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_login_page_fits_a_phone(live_server, page, db):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for name in ("換一張", "使用語音播放驗證碼"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 44
