"""Sign-in (志工前台 and 志工後台), 忘記密碼 and 重置密碼, 加入會員, 登入訊息, the captcha media."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from volnet.accounts import captcha, services, twofactor
from volnet.accounts.forms import (
    ChangePasswordForm,
    EnrolCodeForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    RemoveSecondFactorForm,
    SecondFactorForm,
    SignUpForm,
)
from volnet.accounts.models import SignInEvent, User
from volnet.accounts.passwords import RULES
from volnet.http import safe_next
from volnet.lib import masking
from volnet.paging import paginate
from volnet.units import access

Site = SignInEvent.Site
PENDING_STAFF = "volnet_pending_staff"
PENDING_STAFF_SECONDS = 5 * 60
RESET_SESSION = "volnet_reset"


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, target, reverse(default) if ":" in default else default)


def _render(request, template, context, status=200):
    context.setdefault("rules", RULES)
    return render(request, template, context, status=status)


# --- captcha media -------------------------------------------------------------------------------


def _no_store(response):
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@require_GET
def captcha_image(request, key):
    code = captcha.code_for(request, key)
    if code is None:
        raise Http404(_("驗證碼已逾時"))
    return _no_store(HttpResponse(captcha.render_png(code), content_type="image/png"))


@require_GET
def captcha_audio(request, key):
    code = captcha.code_for(request, key)
    if code is None:
        raise Http404(_("驗證碼已逾時"))
    response = HttpResponse(captcha.render_wav(code), content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="captcha.wav"'
    return _no_store(response)


@never_cache
@require_GET
def captcha_refresh(request):
    key = captcha.new_challenge(request, replaces=request.GET.get("old") or None)
    return JsonResponse(captcha.urls(key))


# --- sign-in -------------------------------------------------------------------------------------


def _sign_in_page(request, *, site, template, default_next):
    if request.method == "POST":
        form = LoginForm(request.POST, request=request)
        if form.is_valid():
            try:
                user = services.check_credentials(
                    request, form.cleaned_data["national_id"], form.cleaned_data["password"], site
                )
                if site == Site.BACKOFFICE and not _may_use_staff_sign_in(user):
                    services.record_event(request, user, SignInEvent.Result.NOT_STAFF, site)
                    raise services.AccountError(
                        "not_staff", _("此帳號沒有志工後台權限。志工請由「志工登入」進入志工前台。")
                    )
            except services.AccountError as error:
                form.add_error(None, error.message)
                context = {"form": form, "error_code": error.code, "next": _next_url(request, default_next)}
                if error.code == "unverified":
                    request.session["volnet_unverified"] = error.params["user"].pk
                    context["can_resend"] = True
                status = 429 if error.code == "throttled" else 200
                return _render(request, template, context, status=status)
            next_url = _next_url(request, default_next)
            if site == Site.BACKOFFICE and next_url == reverse("backoffice:home") and not access.is_staff_member(user):
                next_url = reverse("admin:index")  # a system administrator without a staff role
            if site == Site.BACKOFFICE and twofactor.is_enrolled(user):
                request.session.cycle_key()  # a key planted before the password step is worth nothing after it
                request.session[PENDING_STAFF] = {
                    "user": user.pk,
                    "next": next_url,
                    "until": _now_ts() + PENDING_STAFF_SECONDS,
                }
                return redirect("accounts:staff_second_factor")
            return _finish_sign_in(request, user, site, next_url)
        if form.captcha_failed and form.cleaned_data.get("national_id"):
            services.record_event(
                request, services.find_user(form.cleaned_data["national_id"]), SignInEvent.Result.BAD_CAPTCHA, site
            )
    else:
        form = LoginForm(request=request)
    return _render(request, template, {"form": form, "next": _next_url(request, default_next)})


def _finish_sign_in(request, user, site, next_url):
    report = services.complete_sign_in(request, user, site)
    notice = services.failure_notice(report)
    if notice:
        messages.warning(request, notice)
    if user.must_change_password:
        request.session["volnet_after_change"] = next_url
        return redirect("accounts:password_change_required")
    return HttpResponseRedirect(next_url)


def _now_ts():
    import time

    return int(time.time())


def _may_use_staff_sign_in(user):
    """Staff with an active role, and system administrators (the only way into /admin/)."""
    return access.is_staff_member(user) or user.is_superuser


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    if request.user.is_authenticated and request.method == "GET" and not request.GET.get("next"):
        return redirect("portal:home")
    return _sign_in_page(request, site=Site.PORTAL, template="accounts/login.html",
                         default_next=settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_login(request):
    return _sign_in_page(
        request, site=Site.BACKOFFICE, template="accounts/staff_login.html", default_next="backoffice:home"
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_second_factor(request):
    pending = request.session.get(PENDING_STAFF) or {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or pending.get("until", 0) < _now_ts():
        request.session.pop(PENDING_STAFF, None)
        messages.error(request, _("登入步驟已逾時，請重新輸入帳號、密碼與驗證碼。"))
        return redirect("accounts:staff_login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify(request, user, form.cleaned_data["code"])
        except twofactor.TwoFactorError as error:
            if error.code != "locked":
                form.add_error("code", error.message)
            else:
                request.session.pop(PENDING_STAFF, None)
                messages.error(request, error.message)
                return redirect("accounts:staff_login")
        else:
            request.session.pop(PENDING_STAFF, None)
            response = _finish_sign_in(request, user, Site.BACKOFFICE,
                                       pending.get("next") or reverse("backoffice:home"))
            otp_login(request, device)
            if twofactor.is_recovery(device):
                left = twofactor.recovery_codes_left(user)
                messages.warning(request, ngettext(
                    "您使用了一組備用碼，還剩 %(count)s 組。備用碼快用完時，請到「帳號安全」重新產生。",
                    "您使用了一組備用碼，還剩 %(count)s 組。備用碼快用完時，請到「帳號安全」重新產生。",
                    left,
                ) % {"count": left})
            return response
    return _render(request, "accounts/staff_second_factor.html", {"form": form, "totp_issuer": settings.SITE_NAME})


@require_POST
def logout(request):
    if request.user.is_authenticated:
        site = request.session.get("volnet_site", Site.PORTAL)
        services.record_event(request, request.user, SignInEvent.Result.LOGOUT, site)
    auth_logout(request)
    messages.success(request, _("您已登出。"))
    return redirect("home")


@require_POST
def resend_verification(request):
    user = User.objects.filter(pk=request.session.get("volnet_unverified"), signup_pending=True).first()
    if user is None:
        messages.error(request, _("請重新登入後再申請寄送驗證信。"))
        return redirect("accounts:login")
    try:
        masked = services.resend_verification(request, user)
    except services.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("驗證信已寄到 %(email)s，請至信箱點選連結完成驗證。") % {"email": masked})
    return redirect("accounts:login")


# --- 登入訊息 --------------------------------------------------------------------------------------


@login_required
def sign_in_events(request):
    events = SignInEvent.objects.filter(user=request.user).order_by("-at")
    page = paginate(request, events, 20)
    return _render(request, "accounts/sign_in_events.html", {"page": page, "menu": "sign_ins"})


# --- 忘記密碼 and 重置密碼 -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request):
    form = ForgotPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.request_password_reset(
                request, form.cleaned_data["national_id"], form.cleaned_data["birth_date"]
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
            status = 429 if error.code == "throttled" else 200
            return _render(request, "accounts/forgot_password.html", {"form": form}, status=status)
        if result.outcome == "mismatch":
            form.add_error(None, _("查無符合的資料，請確認身分證號碼(居留證號碼)與出生年月日是否正確。"))
        else:
            return _render(request, "accounts/forgot_password_done.html", {"result": result})
    return _render(request, "accounts/forgot_password.html", {"form": form})


@never_cache
@require_GET
def reset(request, uidb64, token):
    """The mailed link: keep the token in the session and move it out of the address bar."""
    user = services.user_for_reset(uidb64, token)
    if user is None:
        return _render(request, "accounts/reset_invalid.html", {}, status=400)
    request.session.cycle_key()  # the token goes into a session nobody else holds the key of
    request.session[RESET_SESSION] = {"uid": uidb64, "token": token}
    return redirect("accounts:reset_password")


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request):
    pending = request.session.get(RESET_SESSION) or {}
    user = services.user_for_reset(pending.get("uid", ""), pending.get("token", ""))
    if user is None:
        request.session.pop(RESET_SESSION, None)
        return _render(request, "accounts/reset_invalid.html", {}, status=400)
    form = NewPasswordForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.finish_reset(request, user, form.cleaned_data["password1"])
        except services.AccountError as error:
            form.add_error("password1", error.message)
        else:
            request.session.pop(RESET_SESSION, None)
            if request.user.is_authenticated:
                auth_logout(request)
            messages.success(request, _("密碼已重新設定完成，請以新密碼登入。"))
            return redirect("accounts:login")
    return _render(request, "accounts/reset_password.html", _password_context(form, _("重置密碼")))


def _password_context(form, title):
    return {"form": form, "title": title, "rules": RULES}


@sensitive_post_parameters("password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_required(request):
    """B-2: after a temporary password, a new one before anything else."""
    if not request.user.must_change_password:
        return redirect("accounts:password_change")
    form = NewPasswordForm(request.POST or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(request.user, form.cleaned_data["password1"], request=request)
        except services.AccountError as error:
            form.add_error("password1", error.message)
        else:
            messages.success(request, _("密碼已更新。"))
            home = reverse(settings.LOGIN_REDIRECT_URL)
            return HttpResponseRedirect(safe_next(request, request.session.pop("volnet_after_change", None), home))
    context = _password_context(form, _("更新密碼"))
    context["forced"] = True
    return _render(request, "accounts/reset_password.html", context)


@sensitive_post_parameters("current_password", "password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = ChangePasswordForm(request.POST or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_own_password(request, request.user, data["current_password"], data["password1"])
        except services.AccountError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("密碼已更新；其他裝置上的登入已全部登出。"))
            return redirect("accounts:password_change")
    return _render(request, "accounts/reset_password.html", _password_context(form, _("變更密碼")))


# --- 加入會員 -------------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST":
        verdict = services.throttle.check(request, "signup_ip")
        if verdict.blocked:
            form.is_valid()
            form.add_error(None, services.try_again_message(verdict))
            return _render(request, "accounts/sign_up.html", {"form": form}, status=429)
        if form.is_valid():
            services.throttle.hit(request, "signup_ip")
            data = form.cleaned_data
            try:
                user = services.sign_up(
                    request,
                    national_id=data["national_id"],
                    name=data["name"],
                    birth_date=data["birth_date"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password1"],
                )
            except services.AccountError as error:
                form.add_domain_error(error)
                return _render(request, "accounts/sign_up.html", {"form": form, "exists": error.code == "exists"})
            return _render(request, "accounts/sign_up_done.html", {"masked_email": masking.mask_email(user.email)})
    return _render(request, "accounts/sign_up.html", {"form": form})


@never_cache
@require_GET
def verify_email(request, token):
    try:
        services.verify_email(token)
    except services.AccountError as error:
        status = 200 if error.code == "used" else 400
        return _render(request, "accounts/verify_email.html", {"error": error.message, "code": error.code},
                       status=status)
    messages.success(request, _("電子信箱驗證完成，請以身分證號碼與密碼登入。"))
    return redirect("accounts:login")


# --- 志工後台 帳號安全 (the second factor) ----------------------------------------------------------


def _staff_only(request):
    if not _may_use_staff_sign_in(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("此頁面僅限運用單位或主管機關工作人員使用。"))


@sensitive_post_parameters("password", "code")
@never_cache
@login_required(login_url="accounts:staff_login")
@require_http_methods(["GET", "POST"])
def staff_security(request):
    """Turn the second factor on (scan, confirm, get recovery codes), get new recovery codes, turn it off.

    With a second factor on, only a session that passed it comes in; a person without one may enter to
    set it up."""
    _staff_only(request)
    if twofactor.needs_verification(request.user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))
    user = request.user
    action = request.POST.get("action")
    enrol_form = EnrolCodeForm(request.POST if action == "confirm" else None)
    remove_form = RemoveSecondFactorForm(request.POST if action == "remove" else None)
    codes_form = SecondFactorForm(request.POST if action == "codes" else None, prefix="codes")
    new_codes = None
    if request.method == "POST":
        if action == "start":
            try:
                twofactor.start_enrolment(user)
            except twofactor.TwoFactorError as error:
                messages.error(request, error.message)
            return redirect("accounts:staff_security")
        if action == "cancel":
            twofactor.cancel_enrolment(user)
            return redirect("accounts:staff_security")
        if action == "confirm" and enrol_form.is_valid():
            done, new_codes = _attempt(enrol_form, twofactor.confirm_enrolment, request, user,
                                       enrol_form.cleaned_data["code"])
            if done:
                messages.success(request, _("兩步驟驗證已啟用。下次登入志工後台時，會要求輸入驗證器的 6 位數字。"))
        if action == "codes" and codes_form.is_valid():
            done, new_codes = _attempt(codes_form, twofactor.regenerate_recovery_codes, request, user,
                                       codes_form.cleaned_data["code"])
            if done:
                messages.success(request, _("已產生新的備用碼，舊的備用碼已全部失效。"))
        if action == "remove" and remove_form.is_valid():
            data = remove_form.cleaned_data
            if _attempt(remove_form, twofactor.remove, request, user, data["password"], data["code"])[0]:
                messages.success(request, _("兩步驟驗證已關閉。"))
                return redirect("accounts:staff_security")
    device = twofactor.totp_device(user)
    pending = twofactor.pending_device(user) if device is None else None
    context = {
        "menu": "security",
        "enrolled": device is not None,
        "pending": pending,
        "enrol_form": enrol_form,
        "remove_form": remove_form,
        "codes_form": codes_form,
        "new_codes": new_codes,
        "codes_left": twofactor.recovery_codes_left(user),
    }
    if pending is not None:
        context["qr_svg"] = twofactor.qr_svg(user, pending, _("兩步驟驗證設定 QR Code"))
        context["manual_key"] = twofactor.manual_key(pending)
    return _render(request, "accounts/staff_security.html", context)


def _attempt(form, action, *args):
    """Run a second-factor action → (done, its result); a refusal goes on the form, on its field if it has one."""
    try:
        return True, action(*args)
    except services.AccountError as error:
        form.add_domain_error(error)
        return False, None
