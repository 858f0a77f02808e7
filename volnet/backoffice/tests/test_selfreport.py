"""/me/report-hours/: a volunteer reports hours to one of their units and sees what became of them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from volnet.records import services
from volnet.records.models import ServiceRecord

URL = reverse("selfreport")


@pytest.fixture
def me(client, volunteer):
    client.force_login(volunteer)
    return client


def form(unit, **overrides):
    data = {"unit": unit.pk, "service_item": "綜合服務", "content": "圖書整理", "start_date": "114/04/01",
            "end_date": "", "hours": "2.5"}
    data.update(overrides)
    return data


def test_a_visitor_is_sent_to_the_volunteer_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_report_waits_for_approval(me, unit_a, volunteer):
    response = me.post(URL, form(unit_a), follow=True)
    assert "等單位審核通過" in response.content.decode()
    record = ServiceRecord.objects.get()
    assert (record.volunteer, record.status, record.hours) == (volunteer, "pending", Decimal("2.5"))
    assert "待審核" in response.content.decode()


def test_bad_input_keeps_the_form_with_chinese_errors(me, unit_a):
    html = me.post(URL, form(unit_a, hours="30", content="帶長者散步")).content.decode()
    assert "超過一天最多的 24 小時" in html
    assert 'value="帶長者散步"' in html and 'value="30"' in html
    assert not ServiceRecord.objects.exists()


def test_only_the_volunteers_own_units_are_offered(me, unit_a, unit_b):
    response = me.get(URL)
    assert list(response.context["form"].fields["unit"].queryset) == [unit_a]
    html = me.post(URL, form(unit_b)).content.decode()
    assert "選擇有效的項目" in html or "選項" in html
    assert not ServiceRecord.objects.exists()


def test_a_declined_report_shows_the_reason(me, unit_a, volunteer, supervisor_a):
    record = services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content="x",
                                   start_date=dt.date(2025, 4, 1), hours=Decimal("1"))
    services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[record.pk], reason="當天未排班")
    assert "當天未排班" in me.get(URL).content.decode()


def test_a_pending_report_can_be_withdrawn_but_not_someone_elses(me, unit_a, volunteer, other_volunteer, unit_b):
    mine = services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content="x",
                                 start_date=dt.date(2025, 4, 1), hours=Decimal("1"))
    theirs = services.report_hours(volunteer=other_volunteer, unit=unit_b, service_item="綜合服務", content="y",
                                   start_date=dt.date(2025, 4, 1), hours=Decimal("1"))
    assert me.post(URL, {"withdraw": theirs.pk}).status_code == 404
    me.post(URL, {"withdraw": mine.pk})
    assert list(ServiceRecord.objects.all()) == [theirs]


def test_someone_with_no_unit_is_told_whom_to_ask(client, other_volunteer):
    other_volunteer.memberships.update(status="ended", left_on=dt.date(2025, 1, 1))
    client.force_login(other_volunteer)
    assert "目前沒有服務中的單位" in client.get(URL).content.decode()
