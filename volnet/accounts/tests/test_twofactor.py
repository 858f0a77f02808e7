"""帳號安全: the second factor's recovery codes, removal and renewal, each audited and shown in 登入訊息."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, all_at_once
from volnet.accounts import twofactor
from volnet.accounts.models import RecoveryCode, SignInEvent
from volnet.audit.models import AuditEntry

from .helpers import text
from .test_staff_login import RECOVERY_CODE, code_for, enrol_with_codes, staff_login

SECURITY = "/accounts/staff/security/"


def signed_in_with_totp(client, supervisor):
    staff_login(client)
    device, codes = enrol_with_codes(client)
    client.post("/accounts/logout/")
    return device, codes


def test_enrolling_shows_ten_recovery_codes_once(client, supervisor_a, test_captcha):
    staff_login(client)
    _device, codes = enrol_with_codes(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert RecoveryCode.objects.filter(device__user=supervisor_a).count() == 10
    later = text(client.get(SECURITY))
    assert not RECOVERY_CODE.findall(later)  # never shown again
    assert "目前還有 10 組備用碼可以使用" in later
    assert AuditEntry.objects.filter(action="accounts.totp.enrol", actor=supervisor_a).exists()
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_enrolled").exists()


def test_a_recovery_code_signs_in_once(client, supervisor_a, test_captcha):
    _device, codes = signed_in_with_totp(client, supervisor_a)
    staff_login(client)
    response = client.post("/accounts/staff/login/code/", {"code": codes[0]})
    assert response["Location"] == "/backoffice/"
    assert "您使用了一組備用碼，還剩 9 組" in text(client.get("/backoffice/", follow=True))
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_code_used", site="backoffice").exists()
    assert AuditEntry.objects.filter(action="accounts.totp.recovery_code_used", actor=supervisor_a).exists()
    assert "目前還有 9 組備用碼可以使用" in text(client.get(SECURITY))

    client.post("/accounts/logout/")
    staff_login(client)
    again = client.post("/accounts/staff/login/code/", {"code": codes[0]})
    assert again.status_code == 200 and "備用碼不正確或已經使用過" in text(again)
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_failed").count() == 1


def test_a_recovery_code_may_be_typed_in_capitals_with_spaces(client, supervisor_a, test_captcha):
    _device, codes = signed_in_with_totp(client, supervisor_a)
    staff_login(client)
    typed = codes[1].upper().replace("-", " ")
    assert client.post("/accounts/staff/login/code/", {"code": typed})["Location"] == "/backoffice/"


def test_a_recovery_code_typed_in_full_width_letters_signs_in(client, supervisor_a, test_captcha):
    """Changed: full-width digits were folded here, full-width letters were not (lib.text.fold_width)."""
    _device, codes = signed_in_with_totp(client, supervisor_a)
    staff_login(client)
    typed = "".join(chr(ord(ch) + 0xFEE0) for ch in codes[1].upper())  # ＡＢＣＤ－２３４５
    assert client.post("/accounts/staff/login/code/", {"code": typed})["Location"] == "/backoffice/"


def test_wrong_recovery_codes_count_toward_the_lock(client, supervisor_a, test_captcha):
    signed_in_with_totp(client, supervisor_a)
    staff_login(client)
    for _ in range(5):
        StaticDevice.objects.filter(user=supervisor_a).update(throttling_failure_count=0)  # as if they waited
        response = client.post("/accounts/staff/login/code/", {"code": "aaaa-aaaa"})
    assert response["Location"] == "/accounts/staff/login/"
    supervisor_a.refresh_from_db()
    assert supervisor_a.is_locked


def test_a_recovery_code_and_the_password_turn_two_factor_off(client, supervisor_a, test_captcha):
    staff_login(client)
    _device, codes = enrol_with_codes(client)
    response = client.post(SECURITY, {"action": "remove", "password": PASSWORD, "code": codes[3]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor_a).exists()
    assert not StaticDevice.objects.filter(user=supervisor_a).exists()  # the codes go with it
    assert "兩步驟驗證已關閉" in text(client.get(SECURITY, follow=True))
    assert AuditEntry.objects.filter(action="accounts.totp.remove", actor=supervisor_a).exists()
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_removed").exists()


def test_a_wrong_code_keeps_two_factor_on_and_counts_toward_the_lock(client, supervisor_a, test_captcha):
    staff_login(client)
    device = enrol_with_codes(client)[0]
    wrong = "000000" if code_for(device, 1) != "000000" else "111111"
    response = client.post(SECURITY, {"action": "remove", "password": PASSWORD, "code": wrong})
    assert response.status_code == 200 and "驗證碼不正確或已過期" in text(response)
    assert TOTPDevice.objects.filter(user=supervisor_a, confirmed=True).exists()
    supervisor_a.refresh_from_db()
    assert supervisor_a.failed_logins == 1


def test_new_recovery_codes_need_a_current_code_and_void_the_old_ones(client, supervisor_a, test_captcha):
    staff_login(client)
    device, old = enrol_with_codes(client)
    refused = client.post(SECURITY, {"action": "codes", "codes-code": ""})
    assert "請輸入 6 位數字或一組備用碼" in text(refused)
    response = client.post(SECURITY, {"action": "codes", "codes-code": code_for(device, steps_ahead=1)})
    new = RECOVERY_CODE.findall(text(response))
    assert "已產生新的備用碼" in text(response) and len(new) == 10 and not set(new) & set(old)
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_codes_new").exists()
    assert AuditEntry.objects.filter(action="accounts.totp.recovery_codes", actor=supervisor_a).exists()
    client.post("/accounts/logout/")
    staff_login(client)
    assert "備用碼不正確或已經使用過" in text(client.post("/accounts/staff/login/code/", {"code": old[0]}))


def test_changes_to_the_second_factor_show_in_sign_in_events_and_are_not_failures(client, supervisor_a, test_captcha):
    _device, codes = signed_in_with_totp(client, supervisor_a)
    staff_login(client)
    client.post("/accounts/staff/login/code/", {"code": codes[0]})
    client.post(SECURITY, {"action": "remove", "password": PASSWORD, "code": codes[1]})
    html = text(client.get("/accounts/sign-ins/"))
    for shown in ("啟用兩步驟驗證", "使用備用碼", "停用兩步驟驗證"):
        assert re.search(rf"<td>{shown}</td>", html), shown
    client.post("/accounts/logout/")
    # The next sign-in reports no failures: these changes are not failed sign-ins.
    assert "登入失敗" not in text(staff_login(client, follow=True))


def test_staff_without_a_second_factor_may_open_the_page_to_set_one_up(client, supervisor_a):
    client.force_login(supervisor_a)
    assert "開始設定兩步驟驗證" in text(client.get(SECURITY))


def test_enrolment_cannot_start_again_while_an_app_is_on(client, supervisor_a, test_captcha):
    staff_login(client)
    enrol_with_codes(client)
    response = client.post(SECURITY, {"action": "start"}, follow=True)
    assert "請先關閉再重新設定" in text(response)
    assert TOTPDevice.objects.filter(user=supervisor_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_among_concurrent_uses_of_one_recovery_code_exactly_one_passes(supervisor_a):
    """Real concurrency (conftest.all_at_once)."""
    TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    code = twofactor._new_recovery_codes(supervisor_a)[0]
    threads = 8

    def sign_in():
        try:
            twofactor.verify(RequestFactory().post("/accounts/staff/login/code/"), supervisor_a, code)
        except twofactor.TwoFactorError as error:
            return error.code
        return "passed"

    outcomes = all_at_once(sign_in, threads)
    assert outcomes.count("passed") == 1
    assert set(outcomes) - {"passed"} <= {"wrong_recovery_code", "wait", "locked"}
    assert twofactor.recovery_codes_left(supervisor_a) == 9


def _every_text_in_the_database():
    """Every value of every table, as text: what a stolen copy of the database shows."""
    values = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            values += [str(value).lower() for row in cursor.fetchall() for value in row if value is not None]
    return values


def test_a_copy_of_the_database_reveals_no_usable_recovery_code(client, supervisor_a, test_captcha):
    """Attack: read the rows. Before the codes were hashed, django-otp's StaticToken kept each in plain text
    (this test failed: every code was a value of otp_static_statictoken.token)."""
    staff_login(client)
    _device, codes = enrol_with_codes(client)
    plain = [code.replace("-", "") for code in codes]
    stolen = _every_text_in_the_database()
    assert not [code for code in plain if any(code in value for value in stolen)]
    # Nor is any stored value itself a code that signs in.
    digests = list(RecoveryCode.objects.filter(device__user=supervisor_a).values_list("digest", flat=True))
    assert len(digests) == 10
    client.post("/accounts/logout/")
    for digest in digests[:3]:
        staff_login(client)
        refused = client.post("/accounts/staff/login/code/", {"code": digest})
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
        StaticDevice.objects.filter(user=supervisor_a).update(throttling_failure_count=0)
    staff_login(client)
    assert client.post("/accounts/staff/login/code/", {"code": codes[0]})["Location"] == "/backoffice/"


def test_each_code_has_its_own_salt(supervisor_a, settings):
    TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    twofactor._new_recovery_codes(supervisor_a)
    salts = [digest.split("$")[2] for digest in RecoveryCode.objects.values_list("digest", flat=True)]
    assert len(set(salts)) == 10 and all(len(salt) >= 8 for salt in salts)  # ≥ 32 bits each (ASVS 2.6.2)


def test_codes_survive_a_secret_key_rotation_made_the_django_way(supervisor_a, settings):
    TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    codes = twofactor._new_recovery_codes(supervisor_a)
    request = RequestFactory().post("/accounts/staff/login/code/")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert twofactor.is_recovery(twofactor.verify(request, supervisor_a, codes[0]))
    settings.SECRET_KEY_FALLBACKS = []  # the old key dropped: the codes made with it stop working
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.verify(request, supervisor_a, codes[1])


def test_the_migration_hashes_plain_codes_and_they_keep_working(supervisor_a):
    """Codes printed before the change (django-otp's plain StaticTokens) still sign in, once, and no longer
    stand in the database as themselves."""
    TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    device = StaticDevice.objects.create(user=supervisor_a, name="備用碼", confirmed=True)
    old = ["abcdefgh", "23456777"]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in old)
    migration = importlib.import_module("volnet.accounts.migrations.0006_recovery_code_hashes")
    migration.hash_plain_tokens(apps, None)
    assert not StaticToken.objects.exists()
    assert not any(code in digest for code in old for digest in RecoveryCode.objects.values_list("digest", flat=True))
    request = RequestFactory().post("/accounts/staff/login/code/")
    assert twofactor.is_recovery(twofactor.verify(request, supervisor_a, "ABCD-EFGH"))
    assert twofactor.recovery_codes_left(supervisor_a) == 1
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.verify(request, supervisor_a, "abcd-efgh")
