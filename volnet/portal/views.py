"""我的檔案: the volunteer's own records. Every query starts from request.user: nobody else's data."""

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from volnet.accounts import profile as account_profile
from volnet.accounts import services as account_services
from volnet.courses import queries as course_queries
from volnet.desk import services as desk
from volnet.honorcard import queries as card_queries
from volnet.honorcard.models import HonorCard
from volnet.notifications import services as notifications
from volnet.paging import paginate
from volnet.people import services as people
from volnet.portal.chart import hours_chart
from volnet.portal.forms import ContactForm, PhotoForm
from volnet.records import corrections, queries
from volnet.recruitment import queries as recruitment_queries
from volnet.units.models import Membership
from volnet.uploads import accepts_uploads

PER_PAGE = 10
HOURS_CACHE_VERSION = 3


def _page_key(request):
    """The requested page as a cache-key part that maps to exactly one page of content, the way
    Paginator.get_page reads it: not an integer → page 1; out of range (0, -1, 99…) → the last page."""
    try:
        number = int(request.GET.get("page") or 1)
    except (TypeError, ValueError):
        return "1"
    if number < 1:
        return "low"
    return str(number) if number <= 100_000 else "high"


# ---------------------------------------------------------------- overview


@never_cache
@login_required
def home(request):
    volunteer = request.user
    today = timezone.localdate()
    summary = queries.hours_summary(volunteer, today=today)
    _, _, training_minutes = queries.training_totals(volunteer)
    insurance = queries.current_insurance(volunteer, today=today)
    context = {
        "menu": "home",
        "today": today,
        "summary": summary,
        "training_minutes": training_minutes,
        "book": queries.current_record_book(volunteer),
        "card": HonorCard.objects.current_for(volunteer, today),
        "insurance": insurance[0] if insurance else None,
        "unit_requests": list(people.open_requests(volunteer)),
        "staff_invitations": list(desk.open_invitations(volunteer)),
    }
    return render(request, "portal/home.html", context)


# ---------------------------------------------------------------- 服務紀錄 and its five tabs

TABS = [
    ("training", gettext_lazy("教育訓練時數")),
    ("book", gettext_lazy("紀錄冊")),
    ("services", gettext_lazy("服務時數")),
    ("insurance", gettext_lazy("志工保險")),
    ("other", gettext_lazy("其他登錄事項")),
]
TAB_NAMES = dict(TABS)
DEFAULT_TAB = "training"  # the manual opens 服務紀錄 on 教育訓練時數


def _with_corrections(volunteer, kind, rows):
    """Each row with `.correction`, the newest correction request about it (one query for the rows)."""
    rows = list(rows)
    latest = corrections.latest_by_record(volunteer, kind, [row.pk for row in rows])
    for row in rows:
        row.correction = latest.get(row.pk)
    return rows


def _training_tab(request, volunteer, today):
    records, sessions, minutes = queries.training_totals(volunteer)
    page = paginate(request, queries.trainings_for(volunteer), PER_PAGE, count=records, query="tab=training")
    page.object_list = _with_corrections(volunteer, "training", page.object_list)
    return {"page": page, "total_sessions": sessions, "total_minutes": minutes,
            "unit_consent": any(t.consent for t in page.object_list)}


def _book_tab(request, volunteer, today):
    books = list(queries.record_books_for(volunteer))
    page = paginate(request, books, PER_PAGE, count=len(books), query="tab=book")
    page.object_list = _with_corrections(volunteer, "book", page.object_list)
    return {"page": page, "applications": queries.pending_book_applications(volunteer)}


def _insurance_tab(request, volunteer, today):
    policies = list(queries.insurance_for(volunteer))
    for policy in policies:
        policy.state = policy.state_on(today)
    current = [p for p in policies if p.state == "current"]
    page = paginate(request, policies, PER_PAGE, count=len(policies), query="tab=insurance")
    page.object_list = _with_corrections(volunteer, "insurance", page.object_list)
    return {"page": page, "current": current}


def _other_tab(request, volunteer, today):
    page = paginate(request, queries.other_items_for(volunteer), PER_PAGE, query="tab=other")
    page.object_list = _with_corrections(volunteer, "other_item", page.object_list)
    return {"page": page}


def _hours_tab(request, volunteer, today):
    years = queries.yearly_totals(volunteer)
    summary = queries.hours_summary(volunteer, today=today, years=years)
    # Only the tab in the links: the page is cached whatever else the address carries.
    page = paginate(request, queries.services_for(volunteer), PER_PAGE, count=summary.records, query="tab=services")
    return {
        "page": page,
        "summary": summary,
        "chart": hours_chart(years),
        "pending": queries.pending_services_for(volunteer),
        "unit_consent": any(r.consent for r in page.object_list),
    }


TAB_VIEWS = {
    "training": _training_tab,
    "book": _book_tab,
    "services": _hours_tab,
    "insurance": _insurance_tab,
    "other": _other_tab,
}

# The cached 服務時數 page holds this in place of the CSRF token of its logout form; each response
# gets its own token. Only [a-z0-9-], so HTML escaping leaves it as it is.
CSRF_SLOT = "csrf-slot-4d1c7e0b9a62"


CACHED_TEMPLATES = ("base.html", "portal/layout.html", "notifications/_header_link.html", "portal/services.html",
                    "portal/_services_body.html", "portal/_correction_cell.html",
                    "portal/tabs/hours.html", "_pagination.html", "portal/_unit_consent.html",
                    "portal/_unit_consent_note.html")


@functools.cache
def _templates_version():
    """A digest of the templates the cached page is made of: a deploy that changes any of them
    (a new menu item, say) never serves pages cached by the previous release."""
    digest = hashlib.blake2b(digest_size=6)
    for name in CACHED_TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()


def _render_services(request, tab, today, **extra):
    context = TAB_VIEWS[tab](request, request.user, today)
    context.update({"menu": "services", "tab": tab, "tab_name": TAB_NAMES[tab], "tabs": TABS, "today": today})
    context.update(extra)
    return render_to_string("portal/services.html", context, request=request)


def _cached_services_page(request, today):
    """服務時數, the page volunteers open most, cached whole per volunteer, name, page and day, and
    keyed by a fingerprint of their service records, so it is rebuilt as soon as any record
    changes. A cached request runs one small query besides the session's (bench_portal).

    Only the logout form's CSRF token differs between responses: it is cached as CSRF_SLOT and
    filled in here. A page with flash messages to show is rendered afresh and not cached.
    """
    volunteer = request.user
    seconds = settings.PORTAL_HOURS_CACHE_SECONDS
    if not seconds or list(messages.get_messages(request)):
        return _render_services(request, "services", today)
    fingerprint = queries.services_fingerprint(volunteer)
    unread = notifications.unread_for(request)  # the header's count is part of the page
    digest = hashlib.blake2b(f"{fingerprint}|{volunteer.name}|{unread}".encode(), digest_size=12).hexdigest()
    key = (f"portal.hours.{HOURS_CACHE_VERSION}.{_templates_version()}.{get_language()}.{volunteer.pk}."
           f"{today.isoformat()}.{_page_key(request)}.{digest}")
    html = cache.get(key)
    if html is None:
        html = _render_services(request, "services", today, csrf_token=CSRF_SLOT)
        cache.set(key, html, seconds)
    return html.replace(CSRF_SLOT, get_token(request))


@never_cache
@login_required
def services_view(request):
    tab = request.GET.get("tab")
    if tab not in TAB_VIEWS:
        tab = DEFAULT_TAB
    today = timezone.localdate()
    if tab == "services":
        return HttpResponse(_cached_services_page(request, today))
    return HttpResponse(_render_services(request, tab, today))


@never_cache
@login_required
def service_detail(request, pk):
    record = queries.service_for(request.user, pk)
    if record is None:
        raise Http404(_("找不到這筆服務紀錄。"))
    return render(request, "portal/service_detail.html", {
        "menu": "services", "record": record, "counts": record.counts_toward_hours,
        "corrections": list(corrections.requests_about(request.user, "service", record.pk)),
    })


# ---------------------------------------------------------------- 榮譽紀錄, 應徵紀錄


@never_cache
@login_required
def honors(request):
    today = timezone.localdate()
    cards = list(card_queries.cards_for(request.user))
    current = HonorCard.objects.current_for(request.user, today)
    for card in cards:
        card.state = card.state_on(today)
    several_valid = sum(card.state == "valid" for card in cards) > 1
    for card in cards:  # when two cards overlap, say which one 電子榮譽卡 shows
        card.is_current = several_valid and card.pk == current.pk
    award_groups = queries.awards_by_kind(request.user)
    _with_corrections(request.user, "award", [award for _kind, _label, awards in award_groups for award in awards])
    return render(request, "portal/honors.html", {
        "menu": "honors",
        "cards": cards,
        "has_valid_card": current is not None,
        "award_groups": award_groups,
        "certificates": _with_corrections(request.user, "certificate", queries.certificates_for(request.user)),
    })


@never_cache
@login_required
def applications(request):
    page = paginate(request, recruitment_queries.applications_for(request.user), PER_PAGE, query="")
    return render(request, "portal/applications.html", {"menu": "applications", "page": page})


@never_cache
@login_required
def courses(request):
    """教育訓練課程 I enrolled for (enrolled, waiting, cancelled, completed) and what training I still lack."""
    today = timezone.localdate()
    page = paginate(request, course_queries.enrolments_for(request.user), PER_PAGE, query="")
    return render(request, "portal/courses.html", {
        "menu": "courses", "page": page, "today": today,
        "hint": course_queries.eligibility_hint(request.user, today),
    })


# ---------------------------------------------------------------- 我的檔案 (profile and photo)


def _profile_context(request, contact_form=None, photo_form=None):
    user = request.user
    return {
        "menu": "profile",
        "contact_form": contact_form or ContactForm(user=user, initial={
            "phone": user.phone, "address": user.address, "emergency_contact": user.emergency_contact,
            "emergency_phone": user.emergency_phone, "email": user.email,
        }),
        "photo_form": photo_form or PhotoForm(),
        "memberships": Membership.objects.accepted().filter(volunteer=user)
        .select_related("unit").order_by("status", "-joined_on", "unit__code"),
        "pending_email": request.session.get("portal_pending_email"),
    }


@sensitive_post_parameters("current_password")
@never_cache
@login_required
def profile(request):
    if request.method != "POST":
        return render(request, "portal/profile.html", _profile_context(request))
    form = ContactForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "portal/profile.html", _profile_context(request, contact_form=form), status=400)
    if form.needs_password:
        try:
            account_services.confirm_password(request, request.user, form.cleaned_data["current_password"])
        except account_services.AccountError as error:
            form.add_domain_error(error)
            return render(request, "portal/profile.html", _profile_context(request, contact_form=form), status=400)
    new_email = form.cleaned_data["email"]
    email_changing = bool(new_email) and new_email.lower() != (request.user.email or "").lower()
    if email_changing and is_ratelimited(request, group="portal.email-change", key="user", rate="5/h", increment=True):
        form.add_error("email", _("驗證信寄送次數過多，請 1 小時後再試。"))
        return render(request, "portal/profile.html", _profile_context(request, contact_form=form), status=429)
    if account_profile.update_contact(request.user, form.cleaned_data, request=request):
        messages.success(request, _("聯絡資料已儲存。"))
    elif not email_changing:
        messages.info(request, _("資料沒有變更。"))
    if email_changing:
        account_profile.request_email_change(request.user, new_email, request=request)
        request.session["portal_pending_email"] = new_email
        messages.info(request, _("已寄出驗證信到 %(email)s。請在 24 小時內點選信中的連結，新信箱才會生效。")
                      % {"email": new_email})
    return redirect("portal:profile")


@accepts_uploads(account_profile.PHOTO_MAX_BYTES)
@never_cache
@login_required
@require_POST
def upload_photo(request):
    form = PhotoForm(request.POST, request.FILES)
    if is_ratelimited(request, group="portal.photo", key="user", rate="20/h", increment=True):
        form.add_error(None, _("上傳次數過多，請 1 小時後再試。"))
        return render(request, "portal/profile.html", _profile_context(request, photo_form=form), status=429)
    if form.is_valid():
        try:
            account_profile.set_photo(request.user, form.cleaned_data["photo"], request=request)
        except account_profile.ProfileError as error:
            form.add_error("photo", error.message)
            if error.code == "storage_full":
                return render(request, "portal/profile.html", _profile_context(request, photo_form=form), status=503)
        else:
            messages.success(request, _("大頭照已更新，紀錄冊封面會使用這張照片。"))
            return redirect(reverse("portal:profile") + "#photo")
    return render(request, "portal/profile.html", _profile_context(request, photo_form=form), status=400)


@login_required
def photo(request):
    """The signed-in person's own photo; there is no way to ask for anyone else's."""
    return account_profile.photo_response(request.user)


@never_cache
@login_required
def verify_email(request, token):
    try:
        new_email = account_profile.read_email_change(token, request.user)
    except account_profile.ProfileError as error:
        return render(request, "portal/verify_email.html", {"menu": "profile", "error": error}, status=400)
    if request.method == "POST":
        try:
            account_profile.confirm_email_change(request.user, token, request=request)
        except account_profile.ProfileError as error:
            return render(request, "portal/verify_email.html", {"menu": "profile", "error": error}, status=400)
        request.session.pop("portal_pending_email", None)
        messages.success(request, _("電子信箱已變更為 %(email)s。") % {"email": new_email})
        return redirect("portal:profile")
    return render(request, "portal/verify_email.html", {"menu": "profile", "new_email": new_email})
