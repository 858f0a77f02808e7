"""待審核時數: approve or decline self-reported hours one by one or in bulk; declined ones stay."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from volnet.records import services
from volnet.records.models import ServiceRecord

URL = reverse("backoffice:approvals")


@pytest.fixture
def reports(volunteer, unit_a):
    return [
        services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content=f"第{n}天",
                              start_date=dt.date(2025, 4, n), hours=Decimal("2"))
        for n in (1, 2, 3)
    ]


@pytest.fixture
def as_a(staff_client, supervisor_a):
    return staff_client(supervisor_a)


def statuses():
    return list(ServiceRecord.objects.order_by("start_date").values_list("status", flat=True))


def test_the_page_lists_pending_reports(as_a, reports):
    html = as_a.get(URL).content.decode()
    assert "第1天" in html and "第3天" in html and "待審核（3）" in html


def test_approve_one_by_its_button(as_a, reports, supervisor_a):
    as_a.post(URL, {"approve_one": reports[1].pk, "reason": ""})
    assert statuses() == ["pending", "approved", "pending"]
    assert ServiceRecord.objects.get(pk=reports[1].pk).registrant == supervisor_a


def test_approve_many_with_checkboxes(as_a, reports):
    response = as_a.post(URL, {"record": [reports[0].pk, reports[2].pk], "action": "approve"}, follow=True)
    assert "已核定 2 筆時數" in response.content.decode()
    assert statuses() == ["approved", "pending", "approved"]


def test_decline_needs_a_reason_and_keeps_the_choice(as_a, reports):
    response = as_a.post(URL, {"record": [reports[0].pk], "action": "decline", "reason": ""})
    html = response.content.decode()
    assert "退回時請填寫原因" in html
    assert f'value="{reports[0].pk}" id="record-{reports[0].pk}" checked' in html
    assert statuses() == ["pending"] * 3


def test_declined_reports_are_kept_with_their_reason(as_a, reports):
    as_a.post(URL, {"decline_one": reports[0].pk, "reason": "當天未排班"})
    assert statuses() == ["declined", "pending", "pending"]
    html = as_a.get(URL, {"tab": "declined"}).content.decode()
    assert "當天未排班" in html and "第1天" in html


def test_nothing_chosen_is_explained(as_a, reports):
    assert "請先勾選" in as_a.post(URL, {"action": "approve"}).content.decode()


def test_another_unit_cannot_approve_by_posting_ids(staff_client, supervisor_b, reports):
    as_b = staff_client(supervisor_b)
    as_b.post(URL, {"record": [r.pk for r in reports], "action": "approve"})
    as_b.post(URL, {"approve_one": reports[0].pk})
    assert statuses() == ["pending"] * 3
    assert "第1天" not in as_b.get(URL).content.decode()


def test_approved_and_returned_hours_are_each_one_notification_and_one_mail(supervisor_a, unit_a, reports, volunteer):
    from volnet.notifications.models import Notification
    from volnet.notifications.tests.told import told_once

    services.approve_reports(actor=supervisor_a, unit=unit_a, pks=[reports[0].pk])
    services.approve_reports(actor=supervisor_a, unit=unit_a, pks=[reports[0].pk])  # no longer pending: nothing
    note, [mail] = told_once(volunteer, "hours_approved")
    assert "114/04/01" in note.text and mail.to == volunteer.email
    services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[reports[1].pk], reason="日期有誤")
    note, [mail] = told_once(volunteer, "hours_returned")
    assert "日期有誤" in note.text
    assert Notification.objects.filter(person=volunteer).count() == 2
