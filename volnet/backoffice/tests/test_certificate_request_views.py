"""The 績效證明書 request through the pages: the volunteer asks in 我的檔案, the unit's 承辦人, 志工督導 and
負責人 each approve on the review desk (which shows the deadline), the volunteer downloads the signed PDF and
its code verifies; another unit's staff neither see nor act, another volunteer neither withdraws nor downloads."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from volnet.documents.models import Document
from volnet.eligibility import certificate_requests as flow
from volnet.eligibility.certificates import cancel_certificate
from volnet.eligibility.models import CertificateRequest
from volnet.eligibility.tests.test_certificate_requests import _role, clerk_a, head_a  # noqa: F401
from volnet.eligibility.tests.test_certificates import build, eligible  # noqa: F401
from volnet.portal.tests.html import table, text
from volnet.recordbook.tests.pdftools import Pdf
from volnet.units.models import StaffRole

pytestmark = pytest.mark.django_db
ASK = "/me/certificates/"


def _verdict(html):
    return re.search(r'<h1 id="verdict"[^>]*>(.*?)</h1>', html, re.S).group(1).strip()


def test_ask_approve_three_times_download_and_verify(eligible, clerk_a, head_a, client,  # noqa: F811
                                                     unit_a, supervisor_a, settings):
    settings.SITE_URL = "http://testserver"
    client.force_login(eligible)
    page = text(client.get(ASK).content)
    assert "可申請" in page and "162.5 小時" in page and "綜合服務" in page
    response = client.post(ASK, {"unit": unit_a.pk, "purpose": "study", "purpose_note": ""})
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert "待承辦人審核" in text(client.get(ASK).content)

    for person, step in ((clerk_a, "clerk"), (supervisor_a, "supervisor"), (head_a, "head")):
        desk = Client()
        desk.force_login(person)
        listing = text(desk.get(reverse("backoffice:certificate_requests"), {"unit": unit_a.pk}).content)
        assert "測試熊" in listing and "剩 7 天" in listing
        response = desk.post(reverse("backoffice:certificate_request", args=[req.pk]),
                             {"unit": unit_a.pk, "action": "approve", "step": step})
        assert response.status_code == 302, step
    req.refresh_from_db()
    assert req.status == "issued"

    page = client.get(ASK).content.decode()
    link = reverse("portal:certificate_pdf", args=[req.certificate.pk])
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    flat = Pdf(response.content).flat()
    assert "測試熊" in flat and "162.5小時" in flat and "E12233****" in flat and "E122333441" not in flat
    assert "負責人：負責人陳" in flat and "服務項目" in flat and "綜合服務" in flat
    document = Document.objects.get(kind=Document.Kind.CERTIFICATE)
    assert document.display_code in flat
    verify = reverse("documents:verify", args=[document.display_code])
    assert _verdict(Client().get(verify).content.decode()) == "有效"
    cancel_certificate(req.certificate, supervisor_a, "時數登錄錯誤")
    html = Client().get(verify).content.decode()
    assert _verdict(html) == "已註銷" and "時數登錄錯誤" in html
    assert client.get(link).status_code == 302  # a cancelled certificate is not printed again


def test_the_desk_shows_days_left_and_marks_the_overdue(eligible, clerk_a, client,  # noqa: F811
                                                       unit_a, supervisor_a, clock):
    clock.move_to("2026-03-10 10:00+08:00")
    req = flow.submit(eligible, unit_a, "work")
    client.force_login(clerk_a)
    url = reverse("backoffice:certificate_requests")
    assert "剩 7 天" in text(client.get(url, {"unit": unit_a.pk}).content)
    clock.move_to("2026-03-20 10:00+08:00")
    client.force_login(clerk_a)  # the idle session ended meanwhile
    page = text(client.get(url, {"unit": unit_a.pk}).content)
    assert "已逾期 3 天" in page and "115/03/17" in page
    # The supervisor's "mine" tab is empty until the clerk approves; the waiting tab shows it.
    client.force_login(supervisor_a)
    assert "目前沒有等待您審核的申請" in text(client.get(url, {"unit": unit_a.pk}).content)
    assert "測試熊" in text(client.get(url, {"unit": unit_a.pk, "tab": "waiting"}).content)
    detail = text(client.get(reverse("backoffice:certificate_request", args=[req.pk]), {"unit": unit_a.pk}).content)
    assert "此申請目前待承辦人審核" in detail and "同意，送下一關" not in detail


def test_a_return_needs_its_reason_on_the_page_and_reaches_the_volunteer(eligible, clerk_a,  # noqa: F811
                                                                        client, unit_a):
    req = flow.submit(eligible, unit_a, "work")
    client.force_login(clerk_a)
    url = reverse("backoffice:certificate_request", args=[req.pk])
    response = client.post(url, {"unit": unit_a.pk, "action": "return", "step": "clerk", "reason": ""})
    assert response.status_code == 400 and "退回原因" in text(response.content)
    response = client.post(url, {"unit": unit_a.pk, "action": "return", "step": "clerk", "reason": "請補紀錄冊影本"})
    assert response.status_code == 302
    volunteer = Client()
    volunteer.force_login(eligible)
    assert "退回原因：請補紀錄冊影本" in text(volunteer.get(ASK).content)


def test_another_units_staff_neither_see_nor_act(client, eligible, unit_a, unit_b, supervisor_b):  # noqa: F811
    StaffRole.objects.create(user=supervisor_b, role=StaffRole.Role.CLERK, unit=unit_b)
    req = flow.submit(eligible, unit_a, "work")
    client.force_login(supervisor_b)
    url = reverse("backoffice:certificate_request", args=[req.pk])
    assert client.get(url, {"unit": unit_a.pk}).status_code == 404
    assert client.post(url, {"unit": unit_a.pk, "action": "approve", "step": "clerk"}).status_code == 404
    listing = client.get(reverse("backoffice:certificate_requests"), {"tab": "all"}).content.decode()
    assert "測試熊" not in listing
    req.refresh_from_db()
    assert req.status == "clerk" and not req.reviews.exists()


def test_another_volunteer_neither_withdraws_nor_downloads(eligible, clerk_a, head_a, client,  # noqa: F811
                                                           unit_a, supervisor_a, other_volunteer):
    req = flow.submit(eligible, unit_a, "work")
    client.force_login(other_volunteer)
    assert client.post(reverse("portal:certificate_withdraw", args=[req.pk])).status_code == 404
    req.refresh_from_db()
    assert req.status == "clerk"
    for person in (clerk_a, supervisor_a, head_a):
        req = flow.approve(person, req, req.status)
    assert client.get(reverse("portal:certificate_pdf", args=[req.certificate.pk])).status_code == 404
    assert "測試熊" not in client.get(ASK).content.decode()


def test_the_volunteer_withdraws_a_waiting_request(client, eligible, unit_a, clerk_a):  # noqa: F811
    req = flow.submit(eligible, unit_a, "work")
    client.force_login(eligible)
    assert client.post(reverse("portal:certificate_withdraw", args=[req.pk])).status_code == 302
    req.refresh_from_db()
    assert req.status == "withdrawn"
    assert "已撤回" in text(client.get(ASK).content)


def test_the_form_keeps_what_was_typed_and_explains(client, eligible, unit_a):  # noqa: F811
    client.force_login(eligible)
    response = client.post(ASK, {"unit": unit_a.pk, "purpose": "other", "purpose_note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "用途為「其他」時，請說明用途。" in html
    assert re.search(r'<input[^>]*value="other"[^>]*checked', html)
    assert client.post(ASK, {"unit": "abc", "purpose": "x"}).status_code == 400
    assert not CertificateRequest.objects.exists()


def test_the_notification_opens_the_request_whichever_unit_the_desk_was_on(client, eligible, unit_a, clerk_a,  # noqa: F811
                                                                          supervisor_a):
    from volnet.notifications.models import Notification
    from volnet.units.models import Unit

    other = Unit.objects.create(code="2-300", name="另一個志工隊", authority=unit_a.authority)
    StaffRole.objects.create(user=clerk_a, role=StaffRole.Role.CLERK, unit=other)
    client.force_login(clerk_a)
    client.get(reverse("backoffice:certificate_requests"), {"unit": other.pk})  # the desk is on the other unit
    flow.submit(eligible, unit_a, "work")
    link = Notification.objects.get(person=clerk_a).link
    page = text(client.get(link).content)
    assert "測試熊 的績效證明書申請" in page and "同意，送下一關" in page


def test_the_desk_reads_a_fixed_number_of_queries_however_many_requests_wait(client, unit_a, clerk_a):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_person
    from volnet.lib import twid
    from volnet.units.models import Membership

    def add(n):
        for i in range(n):
            base = f"Q1{CertificateRequest.objects.count():07d}"
            person = make_person(next(base + d for d in "0123456789" if twid.checksum_ok(base + d)), f"志工{i}")
            Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2021, 1, 1))
            CertificateRequest.objects.create(
                volunteer=person, unit=unit_a, purpose="work", period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2025, 1, 31), hours=150, months=12, counted_on=dt.date.today(),
                due_on=dt.date.today() + dt.timedelta(days=7))

    client.force_login(clerk_a)
    url = reverse("backoffice:certificate_requests")
    counts = []
    for n in (1, 10):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"unit": unit_a.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_request_pages_read_in_english(client, eligible, unit_a, clerk_a):  # noqa: F811
    from conftest import IDEOGRAPH, ideographs, in_english

    req = flow.submit(eligible, unit_a, "study")
    data = {*re.findall(IDEOGRAPH, unit_a.label + unit_a.name), "測試熊", "綜合服務", "承辦小王"}
    client.force_login(eligible)
    html = in_english(client).get(ASK).content.decode()
    assert "My requests" in html and "Waiting for the clerk" in html and "Further study" in html
    assert set(ideographs(html)) <= data, set(ideographs(html)) - data
    desk = in_english(Client())
    desk.force_login(clerk_a)
    html = desk.get(reverse("backoffice:certificate_request", args=[req.pk]), {"unit": unit_a.pk}).content.decode()
    assert "Approve and pass to the next step" in html and "7 days left" in html
    assert set(ideographs(html)) <= data, set(ideographs(html)) - data


def test_each_unit_the_volunteer_may_ask_is_one_row_with_a_cell_per_column(eligible, client):  # noqa: F811
    client.force_login(eligible)
    options = table(client.get(ASK).content, "各單位依規定採計的服務（至上個月底）")
    head = options["head"]
    assert head == ["運用單位", "採計期間", "年資", "服務時數", "服務項目", "資格"]  # 服務項目 once (it was twice)
    assert options["body"] and all(len(row) == len(head) for row in options["body"])
