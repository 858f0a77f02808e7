"""績效證明書 in the back office: a paper application entered from 資格查詢 for the current unit (then reviewed
by the 承辦人, 志工督導 and 負責人 like one made online), listed once issued, cancelled with a reason."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import IDEOGRAPH, ideographs, in_english, make_person
from volnet.accounts.models import User
from volnet.eligibility import certificate_requests as flow
from volnet.eligibility.models import CertificateRequest
from volnet.eligibility.tests.builders import Builder
from volnet.records.models import PerformanceCertificate
from volnet.units.models import StaffRole

QUERY = reverse("eligibility:query") + "?tab=eligible"
ISSUE = reverse("backoffice:certificate_issue")
LIST = reverse("backoffice:certificates")


@pytest.fixture
def eligible(volunteer, unit_a, supervisor_a, authority):
    build = Builder(volunteer, unit_a, supervisor_a, authority)
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 160)
    return volunteer


def _staff(national_id, name, role, unit):
    person = User.objects.filter(national_id=national_id).first() or make_person(national_id, name)
    StaffRole.objects.get_or_create(user=person, role=role, unit=unit)
    return person


def issue(client, volunteer, unit):
    """File the paper application from 資格查詢 (unless `client` is None: filed already), then the unit's three
    steps approve it: the certificate."""
    response = client and client.post(ISSUE, {"volunteer": volunteer.pk, "unit": unit.pk, "next": QUERY},
                                      follow=True)
    req = CertificateRequest.objects.filter(volunteer=volunteer, unit=unit, status="clerk").first()
    if req is not None:
        supervisor = StaffRole.objects.filter(unit=unit, role=StaffRole.Role.SUPERVISOR).first().user
        for person in (_staff("A123456789", "承辦小王", StaffRole.Role.CLERK, unit), supervisor,
                       _staff("A223456781", "負責人陳", StaffRole.Role.HEAD, unit)):
            req = flow.approve(person, req, req.status)
    return response


def test_an_eligible_volunteer_has_a_paper_application_button_on_the_eligible_tab(staff_client, supervisor_a,
                                                                                   eligible):
    html = staff_client(supervisor_a).get(QUERY).content.decode()
    assert ">登錄紙本申請</button>" in html
    assert 'aria-label="為 測試熊 登錄紙本績效證明書申請（160 小時）"' in html


def test_a_paper_application_waits_for_the_three_steps_like_one_made_online(staff_client, supervisor_a, eligible,
                                                                            unit_a):
    """Changed: 開立 here issued the certificate at once, past the 承辦人 and the 負責人 (domain.md §3.5)."""
    client = staff_client(supervisor_a)
    html = client.post(ISSUE, {"volunteer": eligible.pk, "unit": unit_a.pk, "next": QUERY}, follow=True
                       ).content.decode()
    assert "已登錄 測試熊 的績效證明書申請（160 小時），待承辦人、志工督導、負責人依序審核。" in html
    assert ">登錄紙本申請</button>" not in html and "申請審核中" in html
    req = CertificateRequest.objects.get()
    assert (req.status, req.purpose, req.filed_by) == ("clerk", "paper", supervisor_a)
    assert not PerformanceCertificate.objects.exists()
    issue(client, eligible, unit_a)  # the three steps
    certificate = PerformanceCertificate.objects.get()
    assert certificate.unit == unit_a and certificate.head_name == "負責人陳"
    assert "本期已開立" in client.get(QUERY).content.decode()


def test_a_volunteer_not_yet_eligible_gets_no_button_and_a_post_is_refused(staff_client, supervisor_a, volunteer,
                                                                          unit_a):
    client = staff_client(supervisor_a)
    assert ">登錄紙本申請</button>" not in client.get(QUERY).content.decode()
    html = issue(client, volunteer, unit_a).content.decode()
    assert ">測試熊 不符合臺中市樂樂發展協會-樂樂志工隊(測試用)開立績效證明書的資格" in html
    assert not PerformanceCertificate.objects.exists() and not CertificateRequest.objects.exists()


def test_staff_of_unit_b_cannot_issue_for_unit_a(staff_client, supervisor_b, eligible, unit_a):
    response = staff_client(supervisor_b).post(ISSUE, {"volunteer": eligible.pk, "unit": unit_a.pk})
    assert response.status_code == 404
    assert not PerformanceCertificate.objects.exists() and not CertificateRequest.objects.exists()


def test_the_list_shows_the_units_certificates_only(staff_client, supervisor_a, supervisor_b, eligible, unit_a):
    issue(staff_client(supervisor_a), eligible, unit_a)
    number = PerformanceCertificate.objects.get().number
    html = staff_client(supervisor_a).get(LIST).content.decode()
    assert number in html and "E12233****" in html and "E122333441" not in html
    assert 'href="/backoffice/certificates/"' in html  # the menu item
    assert number not in staff_client(supervisor_b).get(LIST).content.decode()


def test_the_list_is_searched_by_number_name_or_id_number_as_every_search_box_is(staff_client, supervisor_a, eligible,
                                                                                 unit_a, other_volunteer):
    """Changed: an ID number had to be typed whole here; its beginning (full-width too) now finds it."""
    client = staff_client(supervisor_a)
    issue(client, eligible, unit_a)
    number = PerformanceCertificate.objects.get().number
    for typed in (number[-4:], "測試", "E122333441", "E12233", "ｅ１２２３３"):
        assert number in client.get(LIST, {"q": typed}).content.decode(), typed
    assert number not in client.get(LIST, {"q": other_volunteer.national_id}).content.decode()


def test_cancelling_asks_for_a_reason_and_keeps_the_record(staff_client, supervisor_a, eligible, unit_a):
    client = staff_client(supervisor_a)
    issue(client, eligible, unit_a)
    certificate = PerformanceCertificate.objects.get()
    url = reverse("backoffice:certificate_cancel", args=[certificate.pk])
    page = client.get(url).content.decode()
    assert '<label for="id_reason">註銷原因<span class="required">（必填）</span></label>' in page
    assert client.post(url, {"reason": "", "cancelled_on": "115/01/01"}).status_code == 400
    assert client.post(url, {"reason": "時數登錄錯誤", "cancelled_on": ""}).status_code == 400
    assert PerformanceCertificate.objects.get().status == "issued"
    today = dt.date.today()
    roc_today = f"{today.year - 1911}/{today.month:02d}/{today.day:02d}"
    response = client.post(url, {"reason": "時數登錄錯誤", "cancelled_on": roc_today}, follow=True)
    assert f"已註銷績效證明書 {certificate.number}" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "cancelled" and certificate.cancel_reason == "時數登錄錯誤"


def test_staff_of_unit_b_cannot_cancel_a_certificate_of_unit_a(staff_client, supervisor_a, supervisor_b, eligible,
                                                               unit_a):
    issue(staff_client(supervisor_a), eligible, unit_a)
    certificate = PerformanceCertificate.objects.get()
    url = reverse("backoffice:certificate_cancel", args=[certificate.pk])
    assert staff_client(supervisor_b).post(url, {"reason": "x"}).status_code == 404


def test_the_certificate_pages_read_in_english(staff_client, supervisor_a, eligible, unit_a):
    client = in_english(staff_client(supervisor_a))
    assert ">Enter a paper application</button>" in client.get(QUERY).content.decode()
    html = issue(client, eligible, unit_a).content.decode()
    assert "Entered the certificate request of 測試熊 (160 hours)" in html
    html = client.get(LIST).content.decode()
    assert "<h1>Certificate of service performance</h1>" in html and ">Valid</span>" in html
    data = {"測試熊", "何小倫", *re.findall(IDEOGRAPH, unit_a.label)}  # names are data, not words
    assert set(ideographs(html)) <= data, set(ideographs(html)) - data


def test_authority_staff_see_the_list_but_neither_issue_nor_cancel(staff_client, supervisor_a, authority_clerk,
                                                                    eligible, unit_a):
    issue(staff_client(supervisor_a), eligible, unit_a)
    certificate = PerformanceCertificate.objects.get()
    client = staff_client(authority_clerk)
    html = client.get(LIST, {"unit": unit_a.pk}).content.decode()
    assert certificate.number in html and "註銷…" not in html
    url = reverse("backoffice:certificate_cancel", args=[certificate.pk])
    assert client.post(url, {"reason": "x", "cancelled_on": "115/01/01"}).status_code == 403
    assert ">登錄紙本申請</button>" not in client.get(QUERY).content.decode()
