"""Tenancy, proven on every staff URL there is.

The test walks Django's URL resolver and takes every back-office route: the `backoffice` namespace
(record books and Excel included), the eligibility query mounted under /backoffice/, and the staff
pages of recruitment, albums and honor-card applications. Every route's arguments are filled with
objects of unit A. Then:

- anonymous visitors are sent to the staff sign-in;
- volunteers (even unit A's own) get 403 or 404;
- staff of unit B and clerks of another authority get 403 or 404 for unit A's objects, cannot select
  unit A, see none of its data, and change nothing by posting;
- unit A's supervisor (or its authority's clerk) does reach every page, so the refusals are not just
  broken links.

A route whose arguments the test does not know fails loudly: add what it means to `target()`.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from conftest import make_person
from volnet.eligibility.models import CertificateRequest, CertificateReview
from volnet.records.models import (
    Award,
    InsurancePolicy,
    OtherItem,
    PerformanceCertificate,
    RecordBook,
    RecordBookApplication,
    ServiceRecord,
    TrainingRecord,
)
from volnet.recruitment.models import Application, Posting
from volnet.units.models import Membership, StaffRole, Unit

SECRET = "甲單位機密內容"
REFUSED = {403, 404, 405}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple
    defaults: tuple

    @property
    def namespace(self):
        return self.name.split(":")[0]


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            yield Route(f"{namespace}:{pattern.name}" if namespace else pattern.name, prefix + str(pattern.pattern),
                        tuple(converters), tuple(sorted((pattern.default_args or {}).items())))


def _is_staff_page(route):
    if route.route.startswith("backoffice/"):
        return True
    if route.namespace in ("recruitment", "albums", "courses") and "manage/" in route.route:
        return True
    return route.route.startswith("honor-card/applications/")


def staff_routes():
    return sorted({r for r in _walk(get_resolver().url_patterns) if _is_staff_page(r)}, key=lambda r: r.name)


ROUTES = staff_routes()


def test_the_walk_finds_the_back_office():
    names = {route.name for route in ROUTES}
    assert {"backoffice:home", "backoffice:volunteer", "backoffice:service_edit", "backoffice:audit",
            "backoffice:excel", "backoffice:books", "eligibility:query", "recruitment:manage",
            "albums:manage"} <= names
    assert "recruitment:list" not in names and "selfreport" not in names


# ---------------------------------------------------------------------------------------------------
# Unit A's world, and the people who must not reach it
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path, unit_a, authority, volunteer, supervisor_a, authority_clerk, client):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    from volnet.lib import files
    from volnet.portal.tests.images import picture

    files.save_file(volunteer.photo, "a.jpg", picture())
    volunteer.save(update_fields=["photo"])
    day = dt.date(2025, 3, 1)
    common = dict(volunteer=volunteer, unit=unit_a, registrant=supervisor_a)
    records = {
        "service": ServiceRecord.objects.create(service_item="綜合服務", content=SECRET, start_date=day, end_date=day,
                                                hours=Decimal("2"), **common),
        "training": TrainingRecord.objects.create(kind="basic", course=SECRET, organiser="社會局", start_date=day,
                                                  minutes=360, **common),
        "other_item": OtherItem.objects.create(title=SECRET, start_date=day, **common),
        "award": Award.objects.create(kind="other", name=SECRET, awarded_on=day, granted_by="協會", **common),
    }
    policy = InsurancePolicy.objects.create(unit=unit_a, insurer=SECRET, policy_number="P-A", start_date=day,
                                            end_date=day + dt.timedelta(days=300))
    policy.volunteers.add(volunteer)
    records["insurance"] = policy
    pending = ServiceRecord.objects.create(service_item="綜合服務", content=SECRET + "待審", start_date=day,
                                           end_date=day, hours=Decimal("1"), status="pending", self_reported=True,
                                           volunteer=volunteer, unit=unit_a)
    applicant = make_person("A123456789", "應徵者")
    posting = Posting.objects.create(unit=unit_a, title=SECRET, service_item="綜合服務", place="館內",
                                     start_date=day, end_date=day + dt.timedelta(days=30), quota=2)
    application = Application.objects.create(posting=posting, volunteer=applicant)
    book_application = RecordBookApplication.objects.create(volunteer=volunteer, unit=unit_a, kind="first",
                                                            category="social_welfare", applied_by=supervisor_a)
    book = RecordBook.objects.create(volunteer=volunteer, number="A-0001", authority=authority, issued_on=day,
                                     category="social_welfare", applied_by=unit_a)
    certificate = PerformanceCertificate.objects.create(
        volunteer=volunteer, unit=unit_a, number="2-299-114-0001", roc_year=114, serial=1, issued_on=day,
        hours=Decimal("150"), months=12, period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 1, 31))
    certificate_request = CertificateRequest.objects.create(
        volunteer=volunteer, unit=unit_a, purpose="other", purpose_note=SECRET, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 1, 31), hours=Decimal("150"), months=12, counted_on=day,
        due_on=day + dt.timedelta(days=7))
    from django.utils import timezone

    from volnet.albums.models import Album, Photo
    from volnet.courses import services as courses
    from volnet.courses.tests.builders import publish

    course = publish(supervisor_a, timezone.localdate(), unit=unit_a, title=SECRET)
    courses.enrol(course, volunteer, today=timezone.localdate())
    album = Album.objects.create(unit=unit_a, title=SECRET, created_by=supervisor_a)
    photo = Photo.objects.create(album=album, image="albums/a.jpg", caption=SECRET)
    return {
        "unit": unit_a, "volunteer": volunteer, "membership": volunteer.memberships.get(), "records": records,
        "pending": pending, "posting": posting, "application": application, "book_application": book_application,
        "book": book, "certificate": certificate, "certificate_request": certificate_request, "album": album,
        "photo": photo, "course": course,
        # Made only for the routes that need one: an upload costs a parse.
        "excel_token": lambda: _excel_token(client, supervisor_a, unit_a),
        "file_token": lambda: _file_token(client, supervisor_a, unit_a),
        "correction": lambda: _correction(volunteer, records["service"]),
    }


def _correction(volunteer, record):
    """The volunteer's correction request about unit A's service record (its text is the secret)."""
    from volnet.records import corrections
    from volnet.records.models import CorrectionRequest

    return CorrectionRequest.objects.filter(volunteer=volunteer).first() or corrections.request_correction(
        volunteer, "service", record.pk, wrong=SECRET, should_be=SECRET)


def _excel_token(client, supervisor_a, unit_a):
    from volnet.records.tests.excel_files import service_row, xlsx

    client.force_login(supervisor_a)
    response = client.post(reverse("backoffice:excel_upload"), {
        "unit": unit_a.pk, "kind": "service",
        "file": SimpleUploadedFile("a.xlsx", xlsx([service_row()]),
                                   content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    })
    client.logout()
    if response.status_code != 302:
        return "no-token-was-made"
    return response["Location"].rstrip("/").split("/")[-1]


def _file_token(client, supervisor_a, unit_a):
    """Unit A's roster, made by the worker for supervisor A (backoffice:file_job)."""
    client.force_login(supervisor_a)
    response = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xlsx"})
    client.logout()
    return response["Location"].rstrip("/").split("/")[-1]


@pytest.fixture
def outsiders(supervisor_b, other_authority, other_volunteer):
    foreign_unit = Unit.objects.create(code="9-001", name="臺北某志工隊", authority=other_authority)
    clerk = make_person("F222222222", "外縣市承辦人")
    StaffRole.objects.create(user=clerk, role="authority_staff", authority=other_authority)
    return {"supervisor_b": supervisor_b, "foreign_clerk": clerk, "foreign_unit": foreign_unit}


def target(route, kwarg, world):
    """What unit A object a route argument names."""
    defaults = dict(route.defaults)
    short = route.name.split(":", 1)[1]
    if kwarg == "record_id":
        return world["records"][defaults["kind"]].pk
    if kwarg in ("volunteer_id", "volunteer_pk"):
        return world["volunteer"].pk
    if kwarg == "membership_id":
        return world["membership"].pk
    if kwarg == "token" and short.startswith("file_job"):
        return world["file_token"]()
    if kwarg == "token":
        return world["excel_token"]()
    if kwarg == "kind" and short.startswith("excel"):
        return "service"
    if kwarg == "file_format":
        return "xlsx"
    if kwarg == "pk":
        if route.namespace == "backoffice" and short.startswith("books"):
            return world["book"].pk if short == "books_cancel" else world["book_application"].pk
        if route.namespace == "backoffice" and short.startswith("certificate_request"):
            return world["certificate_request"].pk
        if route.namespace == "backoffice" and short.startswith("certificate"):
            return world["certificate"].pk
        if route.namespace == "backoffice" and short == "correction":
            return world["correction"]().pk
        if route.namespace == "recruitment":
            return world["application"].pk if short in ("accept", "decline") else world["posting"].pk
        if route.namespace == "courses":
            return world["course"].sessions.first().pk if short == "manage_roll" else world["course"].pk
        if route.namespace == "albums":
            return world["photo"].pk if short in ("caption", "photo_delete") else world["album"].pk
        if route.namespace == "reports":
            return _results_report(world["unit"]).pk
        if route.namespace == "desk":
            return world["unit"].staff_roles.first().pk if short == "staff_end" else world["unit"].pk
    pytest.fail(f"The tenancy test does not know what `{kwarg}` of {route.name} ({route.route}) is: teach target().")


def _results_report(unit):
    from volnet.reports.models import ResultsReport
    from volnet.reports.queries import figures

    return ResultsReport.objects.get_or_create(unit=unit, year=2025, defaults={"figures": figures([unit.pk], 2025)})[0]


def url_of(route, world):
    kwargs = {name: target(route, name, world) for name in route.kwargs}
    return reverse(route.name, kwargs=kwargs)


def attack_data(world):
    """A POST a careless view might act on: unit A's ids in every field a view could read."""
    return {
        "unit": world["unit"].pk, "action": "approve", "record": [world["pending"].pk],
        "approve_one": world["pending"].pk, "decline_one": world["pending"].pk, "reason": "惡意",
        "left_on": "115/01/01", "name": "改名", "email": "x@example.tw", "birth_date": "070/05/20",
        "volunteer": world["volunteer"].pk, "volunteers": [world["volunteer"].pk], "step": "enrol",
        "national_id": world["volunteer"].national_id, "kind": "service", "withdraw": world["pending"].pk,
    }


def fingerprint():
    """What a successful attack would change."""
    return (
        list(ServiceRecord.objects.order_by("pk").values_list("pk", "status", "hours", "content")),
        list(Membership.objects.order_by("pk").values_list("pk", "status", "left_on")),
        TrainingRecord.objects.count(), OtherItem.objects.count(), Award.objects.count(),
        InsurancePolicy.objects.count(),
        list(Application.objects.values_list("pk", "status")),
        list(RecordBookApplication.objects.values_list("pk", "status")),
        list(RecordBook.objects.values_list("pk", "status")),
        list(PerformanceCertificate.objects.values_list("pk", "status")),
        list(CertificateRequest.objects.values_list("pk", "status")), CertificateReview.objects.count(),
        list(Posting.objects.values_list("pk", "title")),
        list(get_user_model_values()),
        list(Unit.objects.order_by("pk").values_list("pk", "code", "name", "status", "is_active")),
        list(StaffRole.objects.order_by("pk").values_list("pk", "user_id", "role", "status", "is_active")),
        list(_reports_values()), list(_courses_values()),
    )


def _courses_values():
    from volnet.courses.models import Attendance, Course, Enrolment

    return [*Course.objects.order_by("pk").values_list("pk", "title", "status", "capacity", "place"),
            *Enrolment.objects.order_by("pk").values_list("pk", "status", "certificate_number"),
            Attendance.objects.count()]


def _reports_values():
    from volnet.reports.models import ResultsReport, ServicePlan

    return [*ResultsReport.objects.order_by("pk").values_list("pk", "status", "times_filed", "return_reason"),
            ServicePlan.objects.count()]


def get_user_model_values():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.order_by("pk").values_list("pk", "name", "email", "password")


def _sign_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
        session = client.session
        session["volnet_site"] = "backoffice"
        session.save()
    return client


def _ids(routes):
    return [route.name for route in routes]


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_strangers_and_volunteers_are_kept_out(route, world, client):
    url = url_of(route, world)
    staff_login = reverse("accounts:staff_login")
    _sign_in(client, None)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, attack_data(world))
    assert response.status_code == 302, f"{route.name}: anonymous got {response.status_code}"
    assert response["Location"].startswith(staff_login), f"{route.name}: sent to {response['Location']}"
    before = fingerprint()
    _sign_in(client, world["volunteer"])
    for method in (client.get, client.post):
        status = method(url, attack_data(world)).status_code
        assert status in REFUSED, f"{route.name}: a volunteer got {status}"
    assert fingerprint() == before, f"{route.name}: a volunteer changed data"


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_staff_of_another_unit_or_authority_reach_nothing_of_unit_a(route, world, outsiders, supervisor_a,
                                                                   authority_clerk, client):
    url = url_of(route, world)
    # First unit A itself (or its authority) must reach the page: then a refusal below means something.
    statuses = {}
    for who, user in (("supervisor_a", supervisor_a), ("authority_clerk", authority_clerk)):
        _sign_in(client, user)
        statuses[who] = client.get(url).status_code
    assert any(status not in (403, 404) for status in statuses.values()), f"{route.name}: {statuses}"
    assert all(status < 500 for status in statuses.values()), f"{route.name}: {statuses}"
    before = fingerprint()
    for who in ("supervisor_b", "foreign_clerk"):
        _sign_in(client, outsiders[who])
        if set(route.kwargs) - {"kind", "file_format"}:  # names an object of unit A (a kind or format does not)
            for method in (client.get, client.post):
                status = method(url, attack_data(world)).status_code
                assert status in REFUSED, f"{route.name}: {who} got {status} for unit A's object"
        else:
            asked = client.get(url, {"unit": world["unit"].pk})
            if asked.status_code not in REFUSED:
                assert asked.status_code in (200, 302), f"{route.name}: {who} got {asked.status_code}"
                assert SECRET not in asked.content.decode(errors="replace"), f"{route.name}: {who} sees unit A's data"
            plain = client.get(url)
            if plain.status_code == 200:
                html = plain.content.decode(errors="replace")
                assert SECRET not in html and "測試熊" not in html, f"{route.name}: {who} sees unit A's data"
            status = client.post(url, attack_data(world)).status_code
            # A form refused for its content (400) or shown again (200) is fine: the fingerprint decides.
            assert status in REFUSED | {200, 302, 400}, f"{route.name}: {who} posting got {status}"
        assert fingerprint() == before, f"{route.name}: {who} changed unit A's data"


def test_a_unit_b_supervisor_cannot_switch_to_unit_a(world, outsiders, client):
    _sign_in(client, outsiders["supervisor_b"])
    assert client.post(reverse("backoffice:switch_unit"), {"unit": world["unit"].pk}).status_code == 404
    assert client.get(reverse("backoffice:services"), {"unit": world["unit"].pk}).status_code == 404


@pytest.mark.parametrize("kind", ["insurance", "volunteers"])
def test_unit_b_reaches_no_person_of_unit_a_through_the_imports(kind, world, outsiders, client, settings, tmp_path):
    """Unit B's import naming unit A's volunteer: insurance is an error row (not serving in unit B); volunteers
    asks the person to join unit B and nothing else. Unit A's data, and the person's, stay as they were."""
    from volnet.people.tests.test_import_volunteers import HEADER as PEOPLE_HEADER
    from volnet.people.tests.test_import_volunteers import person_row
    from volnet.records.tests.excel_files import xlsx
    from volnet.records.tests.test_import_insurance import HEADER as INSURANCE_HEADER
    from volnet.records.tests.test_import_insurance import policy_row

    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    victim = world["volunteer"]
    rows, header = ([policy_row(victim.national_id)], INSURANCE_HEADER) if kind == "insurance" else (
        [person_row(victim.national_id, email="b@example.net")], PEOPLE_HEADER)
    supervisor_b = outsiders["supervisor_b"]
    unit_b = supervisor_b.staff_roles.get().unit
    _sign_in(client, supervisor_b)
    before, contact = fingerprint(), (victim.email, victim.phone, victim.name)
    response = client.post(reverse("backoffice:excel_upload"), {
        "unit": unit_b.pk, "kind": kind, "file": SimpleUploadedFile("b.xlsx", xlsx(rows, header))})
    token = response["Location"].rstrip("/").split("/")[-1]
    page = client.get(reverse("backoffice:excel_preview", args=[token])).content.decode()
    assert victim.national_id not in page and SECRET not in page
    client.post(reverse("backoffice:excel_confirm", args=[token]))
    victim.refresh_from_db()
    assert (victim.email, victim.phone, victim.name) == contact
    asked = Membership.objects.filter(volunteer=victim, unit=unit_b)
    if kind == "insurance":
        assert "不是本單位服務中的志工" in page and not asked.exists()
    else:
        assert "已有帳號" in page and list(asked.values_list("status", flat=True)) == [Membership.Status.PENDING]
        asked.delete()  # the join request is all it made
    assert fingerprint() == before
