"""我的檔案 answers units (domain.md §9.12): the requests are on the home page and their own page; accept
and decline are POSTs (declining asks once more); entries of a unit not yet accepted are marked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from volnet.audit.models import AuditEntry
from volnet.people import services as people
from volnet.records import services as records
from volnet.units.models import Membership


@pytest.fixture
def asked(supervisor_a, unit_a, other_volunteer):
    return people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)


@pytest.fixture
def datong(client, other_volunteer):
    client.force_login(other_volunteer)
    return client


@pytest.fixture
def waiting_hours(supervisor_a, unit_a, other_volunteer, asked):
    return records.add_service(actor=supervisor_a, unit=unit_a, volunteer=other_volunteer, service_item="綜合服務",
                               content="關懷訪視", start_date=dt.date(2026, 3, 2), hours=Decimal("4"))


def html(client, name, **params):
    return client.get(reverse(name), params).content.decode()


def answer(client, membership, value, **extra):
    return client.post(reverse("portal:unit_request_answer", args=[membership.pk]), {"answer": value, **extra})


def test_the_home_page_says_a_unit_asks_and_leads_to_the_answer(datong, asked, unit_a):
    home = html(datong, "portal:home")
    assert "有 1 個單位請您確認" in home and unit_a.label in home
    assert reverse("portal:unit_requests") in home
    requests = html(datong, "portal:unit_requests")
    assert f"{unit_a.label} 邀請您加入" in requests and "邀請人：何小倫" in requests
    assert requests.count('name="csrfmiddlewaretoken"') >= 2


def test_nothing_is_said_when_no_unit_asks(volunteer_client):
    assert "個單位請您確認" not in html(volunteer_client, "portal:home")
    assert "目前沒有需要您回覆的單位邀請" in html(volunteer_client, "portal:unit_requests")


def test_accepting_makes_the_hours_count(datong, asked, waiting_hours, other_volunteer):
    before = html(datong, "portal:services", tab="services")
    assert "待您確認的單位登錄" in before and "不列入合計" in before
    response = answer(datong, asked, "accept")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Membership.Status.ACTIVE
    after = html(datong, "portal:services", tab="services")  # the cached page is rebuilt
    assert "待您確認的單位登錄" not in after and "<strong>4</strong> 小時" in after
    assert AuditEntry.objects.filter(action="portal.membership.accepted", actor=other_volunteer).exists()


def test_declining_asks_once_more_then_marks_the_entries(datong, asked, waiting_hours):
    confirm = answer(datong, asked, "decline")
    assert confirm.status_code == 200 and "確定不同意加入" in confirm.content.decode()
    asked.refresh_from_db()
    assert asked.status == Membership.Status.PENDING  # not yet
    answer(datong, asked, "decline", confirmed="yes")
    asked.refresh_from_db()
    assert asked.status == Membership.Status.DECLINED
    services = html(datong, "portal:services", tab="services")
    assert "您未同意的單位登錄" in services
    detail = datong.get(reverse("portal:service_detail", args=[waiting_hours.pk])).content.decode()
    assert "這筆由該單位登錄的紀錄不計入服務時數" in detail
    assert "個單位請您確認" not in html(datong, "portal:home")


def test_training_of_a_waiting_unit_is_marked_and_not_in_the_total(datong, asked, supervisor_a, unit_a,
                                                                   other_volunteer):
    records.add_training(actor=supervisor_a, unit=unit_a, volunteer=other_volunteer, kind="basic", course="基礎訓練",
                         organiser="臺中市志願服務推廣中心", start_date=dt.date(2026, 3, 2), minutes=360)
    tab = html(datong, "portal:services", tab="training")
    assert "待您確認的單位登錄" in tab and "6小時00分鐘" not in tab.split("<tfoot")[1]


def test_an_unknown_answer_changes_nothing(datong, asked):
    assert answer(datong, asked, "maybe").status_code == 302
    asked.refresh_from_db()
    assert asked.status == Membership.Status.PENDING


def test_answering_needs_a_post(datong, asked):
    assert datong.get(reverse("portal:unit_request_answer", args=[asked.pk])).status_code == 405


def test_the_profile_lists_only_units_the_person_serves_in(datong, asked, unit_a):
    profile = html(datong, "portal:profile")
    assert unit_a.label not in profile and reverse("portal:unit_requests") in profile
