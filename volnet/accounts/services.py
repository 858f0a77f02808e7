"""Account rules as plain functions: sign-in and lockout, passwords, the reset link, sign-up.

Views call these; the back office calls set_temporary_password() and send_reset_link().
Every function raises AccountError (a code and a message in the reader's language) when a rule says no.
"""

import datetime as dt
import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from volnet.accounts import throttle
from volnet.accounts.models import SignInEvent, User
from volnet.audit import log
from volnet.errors import DomainError
from volnet.http import client_ip
from volnet.lib import masking, rocdate, twid
from volnet.mailer import outbox

LOCK_AFTER = 5
LOCK_MINUTES = 15
VERIFY_MAX_AGE = 3 * 24 * 3600  # a sign-up's verification link
Site = SignInEvent.Site
Result = SignInEvent.Result

GENERIC_FAILURE = _("帳號或密碼錯誤，請重新輸入。")


class AccountError(DomainError):
    """A refused sign-in or account action (volnet.errors.DomainError); `params` may carry the account."""


def lock_message(until):
    local = timezone.localtime(until)
    return gettext(
        "此帳號因連續登入失敗 %(count)s 次，已暫停登入 %(minutes)s 分鐘，"
        "請於 %(time)s 後再試；若忘記密碼，請使用「忘記密碼」重新設定。"
    ) % {"count": LOCK_AFTER, "minutes": LOCK_MINUTES, "time": f"{local:%H:%M}"}


def throttle_message(verdict):
    minutes = verdict.minutes_left
    return ngettext(
        "此網路位址嘗試次數過多，請約 %(minutes)s 分鐘後再試。",
        "此網路位址嘗試次數過多，請約 %(minutes)s 分鐘後再試。",
        minutes,
    ) % {"minutes": minutes}


def try_again_message(verdict):
    """申請次數過多: too many requests of one kind (忘記密碼, 加入會員) for now."""
    minutes = verdict.minutes_left
    return ngettext(
        "申請次數過多，請約 %(minutes)s 分鐘後再試。", "申請次數過多，請約 %(minutes)s 分鐘後再試。", minutes
    ) % {"minutes": minutes}


# --- sign-in events ------------------------------------------------------------------------------


def record_event(request, user, result, site=Site.PORTAL):
    return SignInEvent.objects.create(
        user=user,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
        result=result,
        site=site,
    )


def record_unit_action(user, result, *, by_name, by_unit):
    """A unit managed the user's sign-in (a Result in SignInEvent.BY_UNIT): a line of their 登入訊息. No
    address or device: those would be the staff member's, not the person's."""
    return SignInEvent.objects.create(user=user, result=result, site=Site.BACKOFFICE, by_name=by_name[:60],
                                      by_unit=by_unit[:150])


def find_user(national_id):
    number = twid.normalize(national_id)
    if not number:
        return None
    return User.objects.filter(national_id=number).first()


# --- sign-in -------------------------------------------------------------------------------------


def _unknown_id_key(number):
    return f"volnet:unknown-id-failures:{number}"


def _unknown_id_failure(number):
    """Unknown ID numbers lock like real ones, so the lock message says nothing about existence."""
    key = _unknown_id_key(number)
    state = cache.get(key) or {"count": 0, "until": None}
    state["count"] += 1
    if state["count"] >= LOCK_AFTER:
        state = {"count": 0, "until": timezone.now() + dt.timedelta(minutes=LOCK_MINUTES)}
    cache.set(key, state, LOCK_MINUTES * 60 * 2)
    return state["until"]


def _unknown_id_locked(number):
    state = cache.get(_unknown_id_key(number)) or {}
    until = state.get("until")
    return until if until and until > timezone.now() else None


def check_credentials(request, national_id, password, site=Site.PORTAL):
    """The user whose ID number and password these are, or AccountError. Counts failures, locks
    the account after LOCK_AFTER of them, throttles the address, records every attempt."""
    verdict = throttle.check(request, "signin_ip")
    number = twid.normalize(national_id)
    user = find_user(number)
    if verdict.blocked:
        record_event(request, user, Result.THROTTLED, site)
        raise AccountError("throttled", throttle_message(verdict))
    if user is None:
        until = _unknown_id_locked(number)
        if until:
            record_event(request, None, Result.LOCKED, site)
            raise AccountError("locked", lock_message(until))
        User().set_password(password)  # spend the same time as a real check
        throttle.hit(request, "signin_ip")
        record_event(request, None, Result.BAD_CREDENTIALS, site)
        until = _unknown_id_failure(number)
        raise AccountError("locked" if until else "bad_credentials",
                           lock_message(until) if until else str(GENERIC_FAILURE))

    return _check_password(request, user, password, site, Result.BAD_CREDENTIALS)


def _check_password(request, user, password, site, failed_result):
    """The lockout: refuse while locked, count a wrong password (locking after LOCK_AFTER of them),
    clear the count on a right one. Records the failure as `failed_result`."""
    # Decide inside the lock, raise outside it: a raise inside would roll the counters back.
    failure = None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            failure = (Result.LOCKED, AccountError("locked", lock_message(user.locked_until)))
        else:
            if user.locked_until:
                user.locked_until = None
                user.failed_logins = 0
            if not user.check_password(password):
                user.failed_logins += 1
                if user.failed_logins >= LOCK_AFTER:
                    user.failed_logins = 0
                    user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    failure = (failed_result, AccountError("locked", lock_message(user.locked_until)))
                else:
                    failure = (failed_result, AccountError("bad_credentials", str(GENERIC_FAILURE)))
                throttle.hit(request, "signin_ip")
            # The password is right: from here the messages may be specific.
            elif user.signup_pending:
                message = gettext("您的電子信箱尚未完成驗證，請先點選驗證信中的連結，再登入。")
                failure = (Result.UNVERIFIED, AccountError("unverified", message, user=user))
            elif not user.is_active:
                failure = (Result.INACTIVE, AccountError("inactive", gettext("此帳號已停用，請洽運用單位承辦人。")))
            else:
                user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])
    if failure is not None:
        result, error = failure
        record_event(request, user, result, site)
        raise error
    return user


def confirm_password(request, user, password):
    """Re-authentication: the signed-in `user` types the current password before a change that would
    hand the account to whoever holds the session (e-mail, phone, password, the second factor).

    The same lockout as signing in: while locked nothing passes, and a wrong password counts toward
    it and is shown in 登入訊息. Raises AccountError: wrong_password, locked."""
    site = request.session.get("volnet_site", Site.PORTAL)
    try:
        return _check_password(request, user, password or "", site, Result.REAUTH_FAILED)
    except AccountError as error:
        if error.code == "bad_credentials":
            raise AccountError("wrong_password", gettext("目前的密碼不正確。"), field="password") from None
        raise


def register_failure(request, user, result, site):
    """A failure after the password (the staff's second factor): counts toward the lock."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER:
            user.failed_logins = 0
            user.locked_until = timezone.now() + dt.timedelta(minutes=LOCK_MINUTES)
        user.save(update_fields=["failed_logins", "locked_until"])
    record_event(request, user, result, site)
    throttle.hit(request, "signin_ip")
    return user.locked_until


@dataclass
class SignInReport:
    failures: int
    previous: SignInEvent | None


def complete_sign_in(request, user, site=Site.PORTAL):
    """Log the user in and report the failures since their previous successful sign-in."""
    previous = (
        SignInEvent.objects.filter(user=user, result=Result.SUCCESS).order_by("-at").first()
    )
    failures = SignInEvent.objects.filter(user=user).exclude(result__in=SignInEvent.NOT_FAILURES)
    if previous is not None:
        failures = failures.filter(at__gt=previous.at)
    count = failures.count()
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["volnet_site"] = site
    record_event(request, user, Result.SUCCESS, site)
    return SignInReport(count, previous)


def failure_notice(report):
    if not report.failures:
        return ""
    count = report.failures
    if report.previous:
        return ngettext(
            "自上次登入（%(when)s）以來，您的帳號有 %(count)s 次登入失敗。若不是您本人操作，請立即變更密碼。",
            "自上次登入（%(when)s）以來，您的帳號有 %(count)s 次登入失敗。若不是您本人操作，請立即變更密碼。",
            count,
        ) % {"when": _roc_datetime(report.previous.at), "count": count}
    return ngettext(
        "在這次登入之前，您的帳號有 %(count)s 次登入失敗。若不是您本人操作，請立即變更密碼。",
        "在這次登入之前，您的帳號有 %(count)s 次登入失敗。若不是您本人操作，請立即變更密碼。",
        count,
    ) % {"count": count}


def _roc_datetime(value):
    return rocdate.format_datetime(value)


# --- telling the owner ---------------------------------------------------------------------------

# What changed, one sentence each (ASVS 2.2.3 and 2.5.5).
SECURITY_CHANGES = {
    "password": _("您的密碼已變更。"),
    "second_factor_on": _("您已啟用兩步驟驗證。"),
    "second_factor_off": _("您的兩步驟驗證已停用。"),
    "recovery_codes": _("您已產生新的備用碼，先前的備用碼都已失效。"),
}


def notify_security_change(user, change):
    """A mail to the address on file whenever the password or the second factor changes, so that the owner
    hears of a change they did not make (the unit's own changes are mailed by people.services). None for an
    unverified sign-up (its address was never proven). The mail is queued with the change (volnet.mailer): a
    mail server that does not answer delays it and stops nothing."""
    if not user.email or user.is_unverified_sign_up:
        return
    context = {"user": user, "change": SECURITY_CHANGES[change], "at": _roc_datetime(timezone.now())}
    outbox.queue_mail("accounts/mail/security_changed", to=user.email, context=context)


# --- passwords -----------------------------------------------------------------------------------


def change_password(user, raw_password, *, request=None, actor=None, temporary=False):
    """Validate against the policy, set, file the old hash in the history, unlock.

    Every other session of the user ends (the session auth hash changes); the request's own
    session continues when it belongs to the user."""
    try:
        validate_password(raw_password, user)
    except ValidationError as error:
        raise AccountError("weak_password", " ".join(error.messages), field="password1",
                           errors=error.messages) from None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(raw_password)
        locked.must_change_password = temporary
        locked.failed_logins = 0
        locked.locked_until = None
        locked.save()
        log.record(
            "accounts.password.temporary" if temporary else "accounts.password.change",
            actor=actor or locked,
            volunteer=locked,
            obj=locked,
            request=request,
        )
    user.password = locked.password
    user.must_change_password = locked.must_change_password
    user.password_changed_at = locked.password_changed_at
    user.failed_logins, user.locked_until = 0, None
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    if not temporary:  # a unit's temporary password is mailed by people.services, with the unit's name
        notify_security_change(user, "password")
    return user


def change_own_password(request, user, current_password, new_password):
    """A signed-in person changes their password: the current one first (re-authentication)."""
    confirm_password(request, user, current_password)
    return change_password(user, new_password, request=request)


def generate_password(length=14):
    """Random, meets the four rules, avoids look-alike characters (0/O, 1/l/I)."""
    lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
    alphabet = lower + upper + digits
    while True:
        chars = [secrets.choice(lower), secrets.choice(upper), secrets.choice(digits)]
        chars += [secrets.choice(alphabet) for _ in range(length - 3)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if all(ch in string.ascii_letters + string.digits for ch in password):
            return password


def set_temporary_password(user, actor, request=None):
    """Staff set a temporary password (shown once or mailed by the caller); it must be changed at the
    next sign-in (manual B-2). Returns the password."""
    for _attempt in range(10):
        password = generate_password()
        try:
            change_password(user, password, actor=actor, request=None, temporary=True)
        except AccountError:
            continue
        # Staff hand the temporary password over themselves: a pending sign-up needs no mail check.
        _vouch(user)
        return password
    raise AccountError("weak_password", gettext("無法產生符合規則的臨時密碼，請再試一次。"))


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token: void once the password changes or the user signs in, and after
    PASSWORD_RESET_TIMEOUT (30 minutes)."""

    key_salt = "volnet.accounts.ResetTokenGenerator"


reset_tokens = ResetTokenGenerator()


def reset_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:reset", args=[uid, reset_tokens.make_token(user)])
    return settings.SITE_URL.rstrip("/") + path


def send_reset_link(user, request=None, actor=None, unit=None):
    """Mail a reset link to the address on file; returns the masked address. The back office calls
    this too (actor = the staff member, unit = the unit they act for: the mail says who sent it)."""
    if not user.email:
        raise AccountError("no_email", gettext("此帳號沒有電子信箱，請聯繫單位管理員協助新增可收信的電子信箱。"))
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    # A link staff send goes out in the site's language: the volunteer did not choose the staff's.
    language = settings.LANGUAGE_CODE if actor is not None and actor != user else None
    context = {"url": reset_url(user), "minutes": minutes}
    if unit is not None and actor is not None:
        context.update(sent_by_unit=unit.label, sent_by=actor.name)
    _mail("accounts/mail/password_reset", user, context, language)
    log.record("accounts.password.reset_link", actor=actor or user, volunteer=user, obj=user, request=request)
    return masking.mask_email(user.email)


def user_for_reset(uidb64, token):
    """The user a reset link belongs to, or None when it is forged, used or expired."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not reset_tokens.check_token(user, token):
        return None
    return user


@dataclass
class ForgotResult:
    outcome: str  # "sent", "no_email" (also for a pending sign-up), "mismatch"
    masked_email: str = ""


def request_password_reset(request, national_id, birth_date):
    """Manual steps (2)–(3): ID + birth date → mail a link (B), or say there is no email (A).
    A wrong pair says nothing more. Limited per address and per ID number."""
    number = twid.normalize(national_id)
    for name, value in (("forgot_ip", None), ("forgot_id", number)):
        verdict = throttle.check(request, name, value)
        if verdict.blocked:
            raise AccountError("throttled", try_again_message(verdict))
    throttle.hit(request, "forgot_ip")
    throttle.hit(request, "forgot_id", number)
    user = find_user(number)
    if user is None or user.birth_date != birth_date or not user.is_active:
        return ForgotResult("mismatch")
    if user.signup_pending or not user.email:
        # A pending sign-up's address is only what someone typed, perhaps with another person's ID number:
        # nothing is mailed to it, and the answer is the same as for no address at all (verify the sign-up,
        # sign up again, or ask the 志工督導), so it tells no one that a sign-up is pending.
        return ForgotResult("no_email")
    return ForgotResult("sent", send_reset_link(user, request))


def finish_reset(request, user, raw_password):
    """B-2/B-3: set the new password from a reset link; the link and other sessions are void.

    A pending sign-up gets a reset link only from staff (send_reset_link); following it proves the
    mailbox, so the account is verified too."""
    change_password(user, raw_password, request=request)
    _vouch(user)
    return user


def _vouch(user):
    if user.signup_pending:
        User.objects.filter(pk=user.pk).update(signup_pending=False, email_verified_at=timezone.now())
        user.signup_pending = False


# --- sign-up (加入會員) -----------------------------------------------------------------------------


def sign_up(request, *, national_id, name, birth_date, email, phone, password):
    """Create a pending account and mail the verification link. One account per ID number.

    Anyone may type anyone's ID number here, so a pending sign-up nobody has proven
    (User.is_unverified_sign_up) never blocks the number: signing up again releases it, and this sign-up
    takes its place in the same account (what units recorded under the number stays), with the new name,
    birth date, address, phone and password; the earlier link and password stop working. An account that
    was ever signed in to, that a unit created, or whose address is verified is never touched."""
    number = twid.validate(national_id)
    fresh = User(national_id=number, name=name, birth_date=birth_date, email=email, phone=phone)
    try:
        validate_password(password, fresh)
    except ValidationError as error:
        raise AccountError("weak_password", " ".join(error.messages), errors=error.messages) from None
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(national_id=number).first()
            if user is None:
                user = fresh
                user.set_password(password)
                user.signup_pending = True
                user.save()
                log.record("accounts.signup", actor=user, volunteer=user, obj=user, request=request)
            elif user.is_unverified_sign_up:
                _release_sign_up(request, user, fresh, password)
            else:
                raise already_registered()
            send_verification(user)  # queued with the account: both or neither
    except IntegrityError:
        raise already_registered() from None
    return user


def _release_sign_up(request, user, fresh, password):
    """An unverified sign-up gives way to a new one for the same ID number (in the same row)."""
    replaced = masking.mask_email(user.email)
    for field in ("name", "birth_date", "email", "phone"):
        setattr(user, field, getattr(fresh, field))
    user.set_password(password)
    user.date_joined = timezone.now()  # the verification link is tied to it: the earlier link dies
    user.failed_logins, user.locked_until, user.must_change_password = 0, None, False
    user.save()
    user.password_history.all().delete()  # the released sign-up's password was never this person's
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("accounts.signup.replaced", actor=user, volunteer=user, obj=user, request=request,
               changes={"電子信箱": [replaced, masking.mask_email(user.email)]})


def already_registered():
    return AccountError(
        "exists", gettext("此身分證號碼(居留證號碼)已有帳號，請使用「忘記密碼」重新設定密碼後登入。"),
        field="national_id",
    )


def _signed_up_at(user):
    return user.date_joined.astimezone(dt.UTC).isoformat()


def verification_url(user):
    """The link of this sign-up: it names the account, the address it went to and the moment of the sign-up,
    so a later sign-up for the same ID number (even with the same address) voids it."""
    token = signing.dumps({"u": user.pk, "e": user.email, "j": _signed_up_at(user)}, salt="volnet.accounts.verify",
                          compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:verify_email", args=[token])


def send_verification(user):
    _mail("accounts/mail/verify_email", user, {"url": verification_url(user), "days": VERIFY_MAX_AGE // 86400})


def _mail(template, user, context, language=None):
    """Queued in the caller's transaction and sent by a task (volnet.mailer): the page never waits on the mail
    server, and a server that is down delays the mail instead of failing the action."""
    outbox.queue_mail(template, to=user.email, context={"user": user, **context}, language=language)


def resend_verification(request, user):
    verdict = throttle.check(request, "verify_mail", user.national_id)
    if verdict.blocked:
        minutes = verdict.minutes_left
        message = ngettext(
            "驗證信已寄出多次，請約 %(minutes)s 分鐘後再試。", "驗證信已寄出多次，請約 %(minutes)s 分鐘後再試。",
            minutes,
        ) % {"minutes": minutes}
        raise AccountError("throttled", message)
    throttle.hit(request, "verify_mail", user.national_id)
    send_verification(user)
    return masking.mask_email(user.email)


def verify_email(token):
    """Activate a pending sign-up from its link. Returns the user, or raises AccountError."""
    try:
        data = signing.loads(token, salt="volnet.accounts.verify", max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise AccountError("expired", gettext("驗證連結已逾期，請重新登入以取得新的驗證信。")) from None
    except signing.BadSignature:
        raise AccountError("invalid", gettext("驗證連結無效，請確認連結是否完整。")) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u")).first()
        # Links mailed before they carried "j" are held to their address alone; they expire within VERIFY_MAX_AGE.
        if user is None or user.email != data.get("e") or data.get("j", _signed_up_at(user)) != _signed_up_at(user):
            raise AccountError("invalid", gettext("驗證連結無效，請確認連結是否完整。"))
        if not user.signup_pending:
            raise AccountError("used", gettext("此信箱已完成驗證，請直接登入。"))
        user.signup_pending = False
        user.email_verified_at = timezone.now()
        user.save(update_fields=["signup_pending", "email_verified_at"])
    log.record("accounts.signup.verified", actor=user, volunteer=user, obj=user)
    return user
