"""Chromium: a staff member turns on two-step verification on a phone, keeps the recovery codes, and signs in
with one of them; the same code fails the second time. axe on every page on the way."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD

from .test_browser import assert_no_axe_violations

pytestmark = pytest.mark.browser


def staff_sign_in(page, live_server):
    page.goto(live_server.url + "/accounts/staff/login/")
    page.get_by_label("帳號").fill("B223456782")
    page.get_by_label("密碼（必填）", exact=True).fill(PASSWORD)
    page.get_by_label("驗證碼（必填）", exact=True).fill("PASSED")
    page.get_by_role("button", name="登入志工後台").click()


def sign_out(page):
    page.get_by_role("button", name="登出").first.click()


def test_a_recovery_code_signs_in_once(live_server, page, supervisor_a, test_captcha):
    page.set_viewport_size({"width": 360, "height": 740})
    staff_sign_in(page, live_server)
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    page.get_by_role("link", name="帳號安全").first.click()
    page.get_by_role("button", name="開始設定兩步驟驗證").click()
    device = TOTPDevice.objects.get(user=supervisor_a)
    page.get_by_label("驗證器 6 位數字").fill(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.get_by_role("button", name="啟用").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    expect(page.get_by_text("這些備用碼只會顯示這一次")).to_be_visible()
    assert_no_axe_violations(page)
    sign_out(page)

    staff_sign_in(page, live_server)
    expect(page.get_by_role("heading", name="兩步驟驗證")).to_be_visible()
    page.get_by_label("驗證器 6 位數字或備用碼").fill(codes[0])
    page.get_by_role("button", name="確認登入").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    expect(page.get_by_text("您使用了一組備用碼，還剩 9 組")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="帳號安全").first.click()
    expect(page.get_by_text("目前還有 9 組備用碼可以使用")).to_be_visible()
    assert_no_axe_violations(page)
    sign_out(page)

    staff_sign_in(page, live_server)
    page.get_by_label("驗證器 6 位數字或備用碼").fill(codes[0])
    page.get_by_role("button", name="確認登入").click()
    expect(page.get_by_text("備用碼不正確或已經使用過").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/staff/login/code/$"))
    assert_no_axe_violations(page)
