"""The staff's second factor: an authenticator app (TOTP) and one-time recovery codes (備用碼).

Views call these. Every rule that says no raises TwoFactorError (a code and a message in the reader's
language). A wrong code counts toward the account's lockout exactly as a wrong password does, and every
change to the second factor is audited and shown to its owner in 登入訊息.

Recovery codes hang off django-otp's static device, but not as its StaticTokens (which keep the code in
plain text): each is a RecoveryCode row holding only a salted, keyed hash (accounts.recoverycodes). Ten
are made when the app is enrolled and shown once; each signs in once (or confirms one removal); a fresh
set needs a current code.
"""

import base64
import re
from urllib.parse import quote

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from volnet.accounts import recoverycodes, services
from volnet.accounts.models import RecoveryCode, SignInEvent, User
from volnet.audit import log
from volnet.lib.text import fold_width

Site = SignInEvent.Site
Result = SignInEvent.Result
RECOVERY_CODES = 10
TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 40 random bits in base32
# zh-only: the devices' names, stored in the database (only the admin lists them)
TOTP_NAME, RECOVERY_NAME = "驗證器 App", "備用碼"


class TwoFactorError(services.AccountError):
    """codes: enrolled, no_pending, wait, wrong_code, wrong_recovery_code, locked, not_enrolled
    (and wrong_password / locked from services.confirm_password)."""


# --- what the account has ------------------------------------------------------------------------


def totp_device(user):
    """The confirmed authenticator app of `user`, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user):
    """An authenticator being set up (scanned, not yet confirmed with a code), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def is_enrolled(user):
    """Does signing in as `user` ask for a second factor? (Any confirmed device.)"""
    return user_has_device(user)


def needs_verification(user):
    """Signed in, enrolled, and this session has not passed the second factor (e.g. a staff member
    who signed in on the volunteers' login with the password only)."""
    is_verified = getattr(user, "is_verified", None)
    return is_verified is not None and not is_verified() and is_enrolled(user)


def is_recovery(device):
    """Was the second factor a recovery code (not the app)?"""
    return isinstance(device, StaticDevice)


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(code):
    """What was typed → the code: spaces and dashes dropped, full-width characters folded, lower case."""
    return "".join(fold_width(code).split()).replace("-", "").lower()


def kind_of(code):
    """"totp", "recovery", or None for a normalised code that is neither."""
    if TOTP_CODE.fullmatch(code):
        return "totp"
    if RECOVERY_CODE.fullmatch(code):
        return "recovery"
    return None


def formatted(code):
    """A recovery code as it is shown: two groups of four (abcd-efgh)."""
    return f"{code[:4]}-{code[4:]}"


# --- enrolment -----------------------------------------------------------------------------------


def start_enrolment(user):
    """A new secret to scan; any earlier unfinished one is dropped. Not while an app is enrolled:
    replacing it starts with removing it (which needs a current code)."""
    if totp_device(user) is not None:
        raise TwoFactorError("enrolled", gettext("兩步驟驗證已啟用；要更換手機，請先關閉再重新設定。"))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def cancel_enrolment(user):
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def confirm_enrolment(request, user, code):
    """The first code from the app turns it on; returns the new recovery codes (to be shown once).
    This session counts as having passed the second factor."""
    device = pending_device(user)
    if device is None or totp_device(user) is not None:
        raise TwoFactorError("no_pending", gettext("設定已逾時，請重新開始設定兩步驟驗證。"))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        wait = _wait(device)
        accepted = not wait and device.verify_token(normalise(code))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            log.record("accounts.totp.enrol", actor=user, obj=device, request=request)
            services.record_event(request, user, Result.SECOND_FACTOR_ENROLLED, _site(request))
    if wait:
        raise _wait_error(wait)
    if not accepted:
        raise TwoFactorError(
            "wrong_code", gettext("數字不正確，請確認手機時間正確，並輸入驗證器目前顯示的 6 位數字。"), field="code"
        )
    otp_login(request, device)
    services.notify_security_change(user, "second_factor_on")
    return codes


def _new_recovery_codes(user):
    """Replace every recovery code of `user` with RECOVERY_CODES new ones; returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = set()
    while len(codes) < RECOVERY_CODES:
        # 40 random bits: NIST 800-63B asks ≥ 20; under 112, ASVS 2.6.2 asks for a salted hash
        codes.add(StaticToken.random_token())
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recoverycodes.make(code)) for code in codes)
    return sorted(formatted(code) for code in codes)


# --- checking a code -----------------------------------------------------------------------------


def verify(request, user, code, site=Site.BACKOFFICE):
    """A current code of the app or an unused recovery code of `user`; returns the device that took it.

    A recovery code is gone once it is used (deleted in one statement, so two requests racing with the
    same code cannot both pass). A wrong code counts toward the lockout like a wrong password."""
    user = User.objects.get(pk=user.pk)
    if user.is_locked:
        raise TwoFactorError("locked", services.lock_message(user.locked_until))
    code = normalise(code)
    kind = kind_of(code)
    model = StaticDevice if kind == "recovery" else TOTPDevice
    device, wait = None, 0
    with transaction.atomic():
        candidate = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
        if candidate is not None:
            wait = _wait(candidate)
            if not wait and kind is not None and _accepts(candidate, code):
                device = candidate
    if wait:
        raise _wait_error(wait)
    if device is None:
        locked_until = services.register_failure(request, user, Result.SECOND_FACTOR_FAILED, site)
        if locked_until:
            raise TwoFactorError("locked", services.lock_message(locked_until))
        if kind == "recovery":
            raise TwoFactorError("wrong_recovery_code", gettext("備用碼不正確或已經使用過。"), field="code")
        raise TwoFactorError("wrong_code", gettext("驗證碼不正確或已過期，請輸入驗證器目前顯示的數字。"), field="code")
    if isinstance(device, StaticDevice):
        log.record("accounts.totp.recovery_code_used", actor=user, obj=device, request=request)
        services.record_event(request, user, Result.RECOVERY_CODE_USED, site)
    return device


def _accepts(device, code):
    if isinstance(device, TOTPDevice):
        return device.verify_token(code)
    used = 0
    for row in RecoveryCode.objects.filter(device=device).order_by("id"):
        if recoverycodes.matches(code, row.digest):
            # One DELETE: of two requests racing with the same code, only one deletes the row.
            used = RecoveryCode.objects.filter(pk=row.pk).delete()[0]
            break
    if used:
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
    else:
        device.throttle_increment()
    return bool(used)


def _wait(device):
    """Seconds until django-otp lets this device try again after wrong codes (0: now)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    until = (details or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds()) + 1)


def _wait_error(seconds):
    message = ngettext(
        "錯誤次數較多，請等 %(seconds)s 秒後再輸入。", "錯誤次數較多，請等 %(seconds)s 秒後再輸入。", seconds
    ) % {"seconds": seconds}
    return TwoFactorError("wait", message, field="code", seconds=seconds)


def _site(request):
    return request.session.get("volnet_site", Site.BACKOFFICE)


# --- changes that need a current code ------------------------------------------------------------


def remove(request, user, password, code):
    """Turn the second factor off (to replace a phone, or for good): the current password and a current
    code or recovery code, both in this request. A session alone is not enough."""
    if not is_enrolled(user):
        raise TwoFactorError("not_enrolled", gettext("兩步驟驗證尚未啟用。"))
    services.confirm_password(request, user, password)
    verify(request, user, code, _site(request))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log.record("accounts.totp.remove", actor=user, obj=user, request=request)
        services.record_event(request, user, Result.SECOND_FACTOR_REMOVED, _site(request))
    services.notify_security_change(user, "second_factor_off")


def regenerate_recovery_codes(request, user, code):
    """A new set of recovery codes (the old ones stop working); needs a current code."""
    if totp_device(user) is None:
        raise TwoFactorError("not_enrolled", gettext("兩步驟驗證尚未啟用。"))
    verify(request, user, code, _site(request))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        log.record("accounts.totp.recovery_codes", actor=user, obj=user, request=request)
        services.record_event(request, user, Result.RECOVERY_CODES_ISSUED, _site(request))
    services.notify_security_change(user, "recovery_codes")
    return codes


# --- what the person scans -----------------------------------------------------------------------


def otpauth_url(user, device):
    """The authenticator's entry: the site name and the masked ID number (never the full number)."""
    issuer = settings.SITE_NAME
    label = quote(f"{issuer}:{user.masked_id}")
    secret = manual_key(device).replace(" ", "")
    return f"otpauth://totp/{label}?secret={secret}&algorithm=SHA1&digits=6&period=30&issuer={quote(issuer)}"


def manual_key(device):
    """The secret for typing in by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(user, device, title):
    return segno.make(otpauth_url(user, device), error="m").svg_inline(scale=5, dark="#000", light="#fff", title=title)
