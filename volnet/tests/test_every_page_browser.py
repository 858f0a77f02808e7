"""axe-core on a 360 px phone on every page a person can open: the volunteer's pages, the sign-in and sign-up
pages, and every page of the back office and of the feature apps' staff screens.

The list is built from the URL resolver: a new address without arguments is visited as the persona its
place in the site implies (the back office as a supervisor, 我的檔案 as a volunteer) with nobody having to
remember it, and a new address that needs an object, or that is no page at all, fails
`test_every_address_is_a_checked_page_or_says_why_not` until this file says which. The data are the
manual's demo data (`seed_demo`, the `demo` fixture) plus what the demo lacks (a certificate, a record-book
application, an honor-card application, sign-in lines, an Excel import waiting for its confirmation).

One Chromium context serves the whole module; each test only swaps the session cookie.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from volnet.tests.a11y import PHONE, assert_fits_the_width, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- the addresses ----------------------------------------------------------------------------------------


def _addresses(patterns=None, prefix="", namespace=None):
    """(route, name) of every named address the site answers, admin and the language switch aside."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _addresses(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


def _routes():
    return {name: route for route, name in _addresses() if not route.startswith(("admin/", "i18n/"))}


# What answers but is no page a person reads: files, pictures, JSON, and addresses that only take a POST
# (their pages are the ones they redirect to, checked on their own). test_not_pages_are_not_pages keeps
# this list honest.
NOT_PAGES = {
    "health": "text for the load balancer",
    "accounts:logout": "POST only",
    "accounts:resend_verification": "POST only",
    "accounts:captcha_refresh": "JSON",
    "accounts:captcha_image": "PNG",
    "accounts:captcha_audio": "WAV",
    "portal:upload_photo": "POST only",
    "portal:photo": "JPEG",
    "portal:unit_request_answer": "POST only",
    "recordbook:pdf": "PDF",
    "honorcard:refresh": "POST only",
    "honorcard:token_status": "JSON",
    "honorcard:check_photo": "JPEG",
    "honorcard:apply": "POST only",
    "honorcard:report_lost": "POST only",
    "recruitment:apply": "POST (a GET goes back to the posting)",
    "recruitment:withdraw": "POST only",
    "recruitment:accept": "POST only",
    "recruitment:decline": "POST only",
    "albums:image": "JPEG",
    "albums:thumb": "JPEG",
    "albums:upload": "POST only",
    "albums:caption": "POST only",
    "albums:photo_delete": "POST only",
    "backoffice:switch_unit": "POST only",
    "backoffice:certificate_issue": "POST only",
    "backoffice:certificate_pdf": "PDF",
    "portal:certificate_withdraw": "POST only",
    "portal:certificate_pdf": "PDF",
    "backoffice:excel_template": "xlsx",
    "backoffice:excel_template_as": "xlsx or ods",
    "backoffice:volunteer_photo_image": "JPEG",
    "backoffice:excel_upload": "POST only",
    "backoffice:excel_confirm": "POST only",
    "backoffice:excel_cancel": "POST only",
    "backoffice:excel_export": "POST only",
    "backoffice:books_issue": "POST only",
    "backoffice:books_reject": "POST only",
    "backoffice:books_withdraw": "POST only",
    "desk_portal:invitation_answer": "POST only",
    "reports:remind": "POST only",
    "notifications:open": "a redirect to where the notification points (marks it read)",
    "notifications:read_all": "POST only",
    "statistics:download": "a redirect to the file's page (backoffice:file_job)",
    "backoffice:file_job_download": "xlsx or ods",
    "honorcard:venue_template": "xlsx or ods",
    "honorcard:venue_confirm": "POST only",
    "honorcard:venue_cancel": "POST only",
    "courses:enrol": "POST only",
    "courses:cancel": "POST only",
    "courses:ics": "a calendar file (.ics)",
    "courses:certificate": "a PDF",
    "courses:manage_complete": "POST only (a GET goes back to the course's desk)",
}

VOLUNTEER, SUPERVISOR, AUTHORITY, NOBODY = "volunteer", "supervisor", "authority", "nobody"


@dataclass(frozen=True)
class Visit:
    name: str
    who: str
    query: str = ""
    args: Any = None  # world → kwargs of reverse()
    status: int = 200
    prepare: Any = None  # (world, session) → None: what the page needs in the session
    submit: str = ""  # a button to press, after `fill` ({label: text}): the page showing its errors
    fill: tuple = ()

    @property
    def id(self):
        return self.name + (f"?{self.query}" if self.query else "") + (f" [{self.submit}]" if self.submit else "")


def _who(route):
    """Whose page an address is, from where it sits in the site."""
    if route.startswith("backoffice/") or "/manage/" in route or route.endswith("manage/"):
        return SUPERVISOR
    if route.startswith(("me/", "honor-card/", "albums/")) or route == "accounts/sign-ins/":
        return VOLUNTEER
    return NOBODY


def _pending_staff(world, session):
    session["volnet_pending_staff"] = {"user": world.supervisor.pk, "until": timezone.now().timestamp() + 300}


def _reset_link(world, session):
    from volnet.accounts.services import reset_tokens

    uid = urlsafe_base64_encode(force_bytes(world.volunteer.pk))
    session["volnet_reset"] = {"uid": uid, "token": reset_tokens.make_token(world.volunteer)}


def _must_change(world, session):
    world.volunteer.must_change_password = True
    world.volunteer.save(update_fields=["must_change_password"])


def _shown_once(world, session):
    session["backoffice_temporary_password"] = {"volunteer": world.other.pk, "password": "Shown-Once-2026"}


def _demo_card(world):
    from volnet.honorcard.models import HonorCard

    return HonorCard.objects.filter(volunteer=world.volunteer).first()


def _issued_code(world):
    from volnet.recordbook import cache
    from volnet.recordbook.queries import Filters

    return cache.issue(world.volunteer, Filters())[1].display_code


def _notices(world, session):
    from volnet.notifications.services import notify

    notify(world.volunteer, "card_issued", key="walk:1", params={"until": "118/12/31"}, link="/me/honors/", mail=False)
    notify(world.volunteer, "hours_returned", key="walk:2", mail=False,
           params={"what": "115/01/05 2 小時", "unit": "樂樂志工隊", "reason": "日期有誤"})
    notify(world.supervisor, "approvals_waiting", key="walk:3", params={"unit": "樂樂志工隊", "count": 3}, mail=False)


def _course(world):
    """The team's upcoming course from the demo data, with the volunteer enrolled (the roll has a name on it)."""
    from volnet.courses import services
    from volnet.courses.models import Course

    course = Course.objects.filter(unit=world.team).first()
    if not course.enrolments.filter(volunteer=world.volunteer).exists():
        services.enrol(course, world.volunteer)
    return course


def _record(kind):
    return lambda w: {"record_id": w.records[kind].pk}


def _correction(world):
    """A correction request of 測試熊 about a service record of 何小倫's team (made once)."""
    from volnet.records import corrections
    from volnet.records.models import CorrectionRequest

    record = world.records["service"]
    asked = CorrectionRequest.objects.filter(volunteer=world.volunteer, record_id=record.pk).first()
    return asked or corrections.request_correction(world.volunteer, "service", record.pk, wrong="日期錯了",
                                                   should_be="115/03/02")


# Pages that need an object, another persona than _who() says, a query string, or session state. Several
# entries for one name are several states of the page (tabs, page 2).
VISITS = [
    Visit("accounts:password_change", VOLUNTEER),
    Visit("accounts:reset", NOBODY, args=lambda w: {"uidb64": "MQ", "token": "forged-token"}, status=400),
    Visit("accounts:reset_password", NOBODY, prepare=_reset_link),
    Visit("accounts:password_change_required", VOLUNTEER, prepare=_must_change),
    Visit("accounts:verify_email", NOBODY, args=lambda w: {"token": "forged"}, status=400),
    Visit("accounts:staff_second_factor", NOBODY, prepare=_pending_staff),
    Visit("accounts:staff_security", SUPERVISOR),
    Visit("portal:services", VOLUNTEER),
    *[Visit("portal:services", VOLUNTEER, query=f"tab={tab}") for tab in ("book", "services", "insurance", "other")],
    Visit("portal:services", VOLUNTEER, query="tab=services&page=2"),
    Visit("portal:service_detail", VOLUNTEER, args=lambda w: {"pk": w.records["service"].pk}),
    Visit("portal:verify_email", VOLUNTEER, args=lambda w: {"token": "forged"}, status=400),
    Visit("recordbook:query", VOLUNTEER, query="page=2"),
    *[Visit("recordbook:query", VOLUNTEER, query=f"tab={tab}") for tab in ("training", "other")],
    Visit("recordbook:print", VOLUNTEER),
    Visit("honorcard:check", NOBODY, args=lambda w: {"token": "unknown-code"}),
    Visit("honorcard:applications", AUTHORITY),
    Visit("honorcard:cards", AUTHORITY),
    Visit("honorcard:card_manage", AUTHORITY, args=lambda w: {"pk": _demo_card(w).pk}),
    Visit("honorcard:venue_search", NOBODY),
    Visit("honorcard:venue_search", NOBODY, query="city=火星&category=magic&q=美術館"),
    Visit("honorcard:venue_check", NOBODY),
    Visit("honorcard:venue_check", NOBODY, query="code=%3F%3F", status=400),
    Visit("honorcard:venues", AUTHORITY),
    Visit("honorcard:venue_add", AUTHORITY),
    Visit("honorcard:venue_add", AUTHORITY, submit="儲存", fill=(("優惠期間起", "115/02/30"),)),
    Visit("honorcard:venue_edit", AUTHORITY, args=lambda w: {"pk": _demo_venue(w).pk}),
    Visit("honorcard:venue_import", AUTHORITY),
    Visit("honorcard:venue_preview", AUTHORITY, args=lambda w: {"token": _staged_venues(w)}),
    Visit("documents:verify", NOBODY, args=lambda w: {"code": _issued_code(w)}),
    Visit("documents:verify", NOBODY, args=lambda w: {"code": "0000-0000-0000-0000-0000"}, status=404),
    Visit("documents:lookup", NOBODY, submit="驗證", fill=(("驗證碼", "123"),)),
    Visit("recruitment:list", NOBODY),
    Visit("recruitment:detail", VOLUNTEER, args=lambda w: {"pk": w.posting.pk}),
    Visit("courses:list", VOLUNTEER),
    Visit("courses:list", NOBODY, query="start=115/02/30&city=x&category=magic", status=400),
    Visit("courses:detail", NOBODY, args=lambda w: {"pk": _course(w).pk}),
    Visit("courses:detail", VOLUNTEER, args=lambda w: {"pk": _course(w).pk}),
    Visit("courses:manage_detail", SUPERVISOR, args=lambda w: {"pk": _course(w).pk}),
    Visit("courses:manage_edit", SUPERVISOR, args=lambda w: {"pk": _course(w).pk}),
    Visit("courses:manage_cancel", SUPERVISOR, args=lambda w: {"pk": _course(w).pk}),
    Visit("courses:manage_cancel", SUPERVISOR, args=lambda w: {"pk": _course(w).pk}, submit="確定取消課程"),
    Visit("courses:manage_roll", SUPERVISOR, args=lambda w: {"pk": _course(w).sessions.first().pk}),
    Visit("courses:manage_new", SUPERVISOR, submit="公告課程"),
    Visit("recruitment:manage_detail", SUPERVISOR, args=lambda w: {"pk": w.posting.pk}),
    Visit("recruitment:manage_edit", SUPERVISOR, args=lambda w: {"pk": w.posting.pk}),
    Visit("albums:detail", VOLUNTEER, args=lambda w: {"pk": w.album.pk}),
    Visit("albums:photo", VOLUNTEER, args=lambda w: {"pk": w.photo.pk}),
    Visit("albums:manage_album", SUPERVISOR, args=lambda w: {"pk": w.album.pk}),
    Visit("albums:manage_edit", SUPERVISOR, args=lambda w: {"pk": w.album.pk}),
    Visit("albums:manage_delete", SUPERVISOR, args=lambda w: {"pk": w.album.pk}),
    Visit("backoffice:volunteers", SUPERVISOR, query="q=測試"),
    Visit("backoffice:volunteer", SUPERVISOR, args=lambda w: {"volunteer_id": w.volunteer.pk}),
    Visit("backoffice:volunteer_edit", SUPERVISOR, args=lambda w: {"volunteer_id": w.other.pk}),
    Visit("backoffice:volunteer_password", SUPERVISOR, args=lambda w: {"volunteer_id": w.other.pk}),
    Visit("backoffice:volunteer_temporary_password", SUPERVISOR, args=lambda w: {"volunteer_id": w.other.pk},
          prepare=_shown_once),
    Visit("backoffice:membership_end", SUPERVISOR, args=lambda w: {"membership_id": w.membership.pk}),
    Visit("backoffice:membership_trial", SUPERVISOR, args=lambda w: {"membership_id": w.membership.pk}),
    Visit("backoffice:volunteer_photo", SUPERVISOR, args=lambda w: {"volunteer_id": w.other.pk}),
    Visit("backoffice:certificate_cancel", SUPERVISOR, args=lambda w: {"pk": w.certificate.pk}),
    Visit("backoffice:certificate_requests", SUPERVISOR, query="tab=all"),
    Visit("backoffice:certificate_request", SUPERVISOR, args=lambda w: {"pk": w.certificate_request.pk}),
    Visit("backoffice:excel_preview", SUPERVISOR, args=lambda w: {"token": _staged_import(w)}),
    Visit("backoffice:excel_progress", SUPERVISOR, args=lambda w: {"token": _queued_import(w)}),
    Visit("backoffice:file_job", SUPERVISOR, args=lambda w: {"token": _file_job(w)}),
    Visit("backoffice:books", AUTHORITY),
    Visit("backoffice:books_apply", SUPERVISOR, query="q=測試熊"),
    Visit("backoffice:books_apply_for", SUPERVISOR, args=lambda w: {"volunteer_pk": w.other.pk}),
    Visit("backoffice:books_detail", AUTHORITY, args=lambda w: {"pk": w.book_application.pk}),
    Visit("backoffice:books_issued", AUTHORITY),
    Visit("backoffice:books_cancel", AUTHORITY, args=lambda w: {"pk": w.book.pk}),
    *[Visit(f"backoffice:{kind}_{page}", SUPERVISOR, args=_record(kind))
      for kind in ("service", "training", "insurance", "other_item", "award")
      for page in ("edit", "delete", "history")],
    *[Visit("eligibility:query", SUPERVISOR, query=f"tab={tab}") for tab in ("health", "medal", "eligible")],
    Visit("reports:review_list", AUTHORITY),
    Visit("reports:review", AUTHORITY, args=lambda w: {"pk": _filed_report(w).pk}),
    Visit("reports:report", SUPERVISOR, query="year=114"),
    Visit("portal:correction", VOLUNTEER, args=lambda w: {"kind": "service", "record_id": w.records["service"].pk}),
    Visit("portal:correction", VOLUNTEER, args=lambda w: {"kind": "training", "record_id": w.records["training"].pk},
          submit="送出更正申請"),
    Visit("portal:corrections", VOLUNTEER, args=lambda w: _correction(w) and {}),
    Visit("portal:my_data", VOLUNTEER, submit="下載我的資料（zip）"),
    Visit("portal:documents", VOLUNTEER, args=lambda w: _issued_code(w) and {}),
    Visit("backoffice:corrections", SUPERVISOR, args=lambda w: _correction(w) and {}),
    Visit("backoffice:correction", SUPERVISOR, args=lambda w: {"pk": _correction(w).pk}),
    Visit("backoffice:correction", SUPERVISOR, args=lambda w: {"pk": _correction(w).pk}, submit="送出回覆"),
    Visit("notifications:list", VOLUNTEER, prepare=_notices),
    Visit("notifications:list", SUPERVISOR, prepare=_notices),
    Visit("notifications:mail", VOLUNTEER),
    Visit("statistics:index", AUTHORITY),
    Visit("statistics:index", AUTHORITY, query="year=9999&category=magic"),
    Visit("desk:units", AUTHORITY),
    Visit("desk:unit_new", AUTHORITY),
    Visit("desk:unit_edit", AUTHORITY, args=lambda w: {"pk": w.team.pk}),
    Visit("desk:unit_status", AUTHORITY, args=lambda w: {"pk": w.team.pk}),
    Visit("desk:staff", AUTHORITY),
    Visit("desk:staff_end", SUPERVISOR, args=lambda w: {"pk": w.supervisor.staff_roles.first().pk}),
    # Forms sent empty or half filled: the error summary and the errors tied to their fields.
    Visit("accounts:login", NOBODY, submit="登入"),
    Visit("accounts:sign_up", NOBODY, submit="送出申請"),
    Visit("accounts:forgot_password", NOBODY, submit="確定重置密碼"),
    Visit("accounts:password_change", VOLUNTEER, submit="確定重置密碼"),
    Visit("portal:profile", VOLUNTEER, submit="儲存聯絡資料", fill=(("電話", "請打手機"),)),
    Visit("selfreport", VOLUNTEER, submit="送出填報"),
    Visit("recruitment:manage_new", SUPERVISOR, submit="儲存"),
    Visit("albums:manage_new", SUPERVISOR, submit="建立相簿"),
    Visit("backoffice:volunteer_add", SUPERVISOR, submit="下一步"),
    Visit("backoffice:service_add", SUPERVISOR, submit="儲存"),
    Visit("desk:unit_new", AUTHORITY, submit="儲存"),
    Visit("reports:plan", SUPERVISOR, submit="提報計畫"),
    Visit("desk:staff", SUPERVISOR, submit="送出邀請"),
    Visit("backoffice:certificate_cancel", SUPERVISOR, args=lambda w: {"pk": w.certificate.pk},
          submit="確定註銷證明書"),
    Visit("backoffice:certificate_request", SUPERVISOR, args=lambda w: {"pk": w.certificate_request.pk},
          submit="退回申請"),
    Visit("portal:certificates", VOLUNTEER, submit="送出申請"),
    Visit("backoffice:membership_end", SUPERVISOR, args=lambda w: {"membership_id": w.membership.pk},
          submit="確定離隊", fill=(("離隊日期", "115/02/30"),)),
    Visit("backoffice:membership_trial", SUPERVISOR, args=lambda w: {"membership_id": w.membership.pk},
          submit="儲存", fill=(("見習期至", "115/02/30"),)),
]


def _visits():
    routes = _routes()
    given = {visit.name for visit in VISITS}
    plain = [Visit(name, _who(route)) for name, route in routes.items()
             if name not in NOT_PAGES and name not in given and "<" not in route]
    return plain + [visit for visit in VISITS if visit.name in routes]


# --- the data -----------------------------------------------------------------------------------------------


@dataclass
class World:
    volunteer: Any  # 測試熊
    other: Any  # 陳大同, of the same unit
    supervisor: Any  # 何小倫
    clerk: Any  # 林美玲 of the authority
    team: Any  # 樂樂志工隊, where 何小倫 supervises 測試熊 and 陳大同
    membership: Any
    posting: Any
    album: Any
    photo: Any
    book: Any
    certificate: Any
    certificate_request: Any  # 陳大同's, waiting for 何小倫 (志工督導)
    book_application: Any
    records: dict = field(default_factory=dict)


@pytest.fixture
def world(demo):
    from volnet.accounts.models import SignInEvent, User
    from volnet.albums.models import Album
    from volnet.demo.management.commands import seed_demo
    from volnet.eligibility import certificates
    from volnet.eligibility.models import CertificateRequest
    from volnet.honorcard.models import HonorCardApplication
    from volnet.records.models import (
        Award,
        InsurancePolicy,
        OtherItem,
        RecordBook,
        RecordBookApplication,
        ServiceRecord,
        TrainingRecord,
    )
    from volnet.recruitment.models import Posting
    from volnet.units.models import Membership, Unit

    bear = User.objects.get(national_id=seed_demo.BEAR_ID)
    grandma = User.objects.get(national_id=seed_demo.NO_EMAIL_ID)
    hsiao = User.objects.get(national_id=seed_demo.SUPERVISOR_ID)
    clerk = User.objects.get(national_id=seed_demo.AUTHORITY_STAFF_ID)
    team = Unit.objects.get(code="2-299")
    album = Album.objects.get(unit=team)
    # 登入訊息 with more lines than a page holds.
    SignInEvent.objects.bulk_create(
        SignInEvent(user=bear, result=result, ip_address="203.0.113.7",
                    user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile",
                    at=timezone.now() - dt.timedelta(hours=i))
        for i, result in enumerate([SignInEvent.Result.SUCCESS, SignInEvent.Result.BAD_CREDENTIALS] * 12)
    )
    # Enough hours in the unit for a 績效證明書, which the cancel page needs.
    ServiceRecord.objects.create(volunteer=bear, unit=team, registrant=hsiao, service_item="綜合服務",
                                 content="據點共餐", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 30),
                                 hours=Decimal("150"))
    certificate = certificates.issue_certificate(hsiao, team, bear, today=dt.date(2026, 2, 1))
    certificate_request = CertificateRequest.objects.create(
        volunteer=grandma, unit=team, purpose="work", period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31), hours=Decimal("180"), months=24, counted_on=dt.date(2026, 2, 1),
        due_on=dt.date(2026, 2, 8), status="supervisor")
    book_application = RecordBookApplication.objects.create(
        volunteer=grandma, unit=team, kind=RecordBook.Status.FIRST, category="social_welfare", applied_by=hsiao,
    )
    HonorCardApplication.objects.create(volunteer=grandma, unit=team, authority=team.authority, hours=Decimal("320"),
                                        months=40, applied_by=hsiao)
    return World(
        volunteer=bear, other=grandma, supervisor=hsiao, clerk=clerk, team=team,
        membership=Membership.objects.get(volunteer=grandma, unit=team),
        posting=Posting.objects.get(unit=team), album=album, photo=album.photos.first(),
        book=RecordBook.objects.get(volunteer=bear), certificate=certificate, book_application=book_application,
        certificate_request=certificate_request,
        records={
            "service": ServiceRecord.objects.filter(volunteer=bear, unit=team).first(),
            "training": TrainingRecord.objects.filter(volunteer=bear).first(),
            "insurance": InsurancePolicy.objects.filter(unit=team).first(),
            "other_item": OtherItem.objects.filter(volunteer=bear).first(),
            "award": Award.objects.filter(volunteer=bear).first(),
        },
    )


def _filed_report(world):
    """The demo unit's results report of 114, filed and waiting for the authority."""
    from volnet.reports import services

    return services.file_report(actor=world.supervisor, unit=world.team, year=2025,
                                explanation="十二月時數尚未登錄完畢。")


def _staged_import(world):
    """An Excel import waiting on its preview, as the staff see it after uploading one row that is wrong."""
    from volnet.records.tests.excel_files import service_row, xlsx

    staff = Client()
    staff.force_login(world.supervisor)
    upload = io.BytesIO(xlsx([service_row(), service_row(start="114/02/30", end="", hours=3)]))
    upload.name = "三月時數.xlsx"
    response = staff.post(reverse("backoffice:excel_upload"),
                          {"unit": world.team.pk, "kind": "service", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _demo_venue(world):
    from volnet.honorcard.models import Venue

    return Venue.objects.order_by("pk").first()


def _staged_venues(world):
    """A venue import waiting on its preview, with one row that is wrong."""
    from volnet.honorcard.tests.test_venues import row, xlsx

    staff = Client()
    staff.force_login(world.clerk)
    upload = io.BytesIO(xlsx([row(), row(name="乙館", address="乙路", city="東京都")]))
    upload.name = "優惠場所.xlsx"
    response = staff.post(reverse("honorcard:venue_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _file_job(world):
    """A roster the worker is making: its progress page (the finished file's page is test_roster's)."""
    from volnet.records import filejobs
    from volnet.units import access

    unit = access.managed_units(world.supervisor).order_by("pk").first()
    token = filejobs.queue(user=world.supervisor, maker="volnet.people.roster.make", title="志工名冊", ip="127.0.0.1",
                           params={"unit_id": unit.pk, "file_format": "xlsx", "include_ended": False, "full_id": False},
                           file_name="roster.xlsx", content_type="application/octet-stream")
    filejobs.mark(token, state="running", done=2, total=6)
    return token


def _queued_import(world):
    """An Excel import confirmed and waiting for a worker: its progress page."""
    from volnet.records import staging

    token = _staged_import(world)
    staged = staging.load(token, world.supervisor)
    staged.meta["job"] = {"state": "running", "done": 2, "total": 6}
    staging.save_meta(staged)
    return token


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture(scope="module")
def phone(browser):
    """One 360 px Chromium tab for the whole module."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _open(phone, live_server, world, visit, settings):
    """Go to the visit's page as its persona, in the module's one tab: only the session cookie changes."""
    context = phone.context
    phone.goto("about:blank")  # stop the last page's scripts (progress.js polls): a late answer must not set a cookie
    context.clear_cookies()
    user = {VOLUNTEER: world.volunteer, SUPERVISOR: world.supervisor, AUTHORITY: world.clerk}.get(visit.who)
    client = Client()
    if user is not None:
        client.force_login(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(client.cookies[settings.SESSION_COOKIE_NAME].value) if user is not None else store()
    if visit.who in (SUPERVISOR, AUTHORITY):
        session["volnet_site"] = "backoffice"
        session["backoffice_unit"] = world.team.pk  # the unit with the demo's people and records
    if visit.prepare:
        visit.prepare(world, session)
    session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    path = reverse(visit.name, kwargs=visit.args(world) if visit.args else None)
    return phone.goto(f"{live_server.url}{path}{'?' + visit.query if visit.query else ''}"), path


VISIT_LIST = _visits()


@pytest.mark.parametrize("visit", VISIT_LIST, ids=[visit.id for visit in VISIT_LIST])
def test_the_page_passes_axe_on_a_phone(phone, live_server, world, visit, settings):
    response, path = _open(phone, live_server, world, visit, settings)
    assert response.status == visit.status, f"{visit.id}: {response.status} at {phone.url}"
    assert phone.url.split("?")[0].endswith(path), f"{visit.id} went on to {phone.url}"
    if visit.submit:
        for label, text in visit.fill:
            phone.locator("main").get_by_label(re.compile(f"^{label}")).fill(text)
        with phone.expect_navigation():
            phone.locator("main").get_by_role("button", name=visit.submit, exact=True).click()
        assert phone.locator("main [aria-invalid=true], main .form-errors").count(), f"{visit.id}: no error shown"
    found = violations(phone)
    assert not found, f"{visit.id}: {found}"
    assert_fits_the_width(phone, what=visit.id)


def test_every_address_is_a_checked_page_or_says_why_not():
    routes = _routes()
    visited = {visit.name for visit in VISIT_LIST}
    unknown = [name for name, route in routes.items() if name not in visited and name not in NOT_PAGES]
    assert not unknown, f"say how to open these pages in VISITS, or why they are no page in NOT_PAGES: {unknown}"
    gone = [name for name in [*NOT_PAGES, *(visit.name for visit in VISITS)] if name not in routes]
    assert not gone, f"no longer addresses: {gone}"


def test_a_keyboard_reaches_and_scrolls_the_sign_in_table_on_a_phone(phone, live_server, world, settings):
    _open(phone, live_server, world, Visit("accounts:sign_in_events", VOLUNTEER), settings)
    region = phone.get_by_role("region", name="登入紀錄，新的在前")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table fits: nothing to scroll at 360 px"
    for _ in range(40):
        phone.keyboard.press("Tab")
        if region.evaluate("r => r === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reaches the table")
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("() => document.activeElement.scrollLeft > 0")
