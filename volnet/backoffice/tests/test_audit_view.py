"""稽核紀錄: who viewed or changed what; units read their own entries, the authority reads all of its units."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from volnet.audit import log
from volnet.audit.models import AuditEntry

URL = reverse("backoffice:audit")


@pytest.fixture
def entries(supervisor_a, supervisor_b, volunteer, other_volunteer, unit_a, unit_b):
    log.record("records.service.updated", actor=supervisor_a, volunteer=volunteer, unit=unit_a,
               changes={"服務時數": ["3", "4"]})
    log.record("backoffice.volunteer.viewed", actor=supervisor_b, volunteer=other_volunteer, unit=unit_b)
    log.record("accounts.password.change", actor=volunteer, volunteer=volunteer)


def test_unit_staff_read_only_their_units_entries(staff_client, supervisor_a, entries):
    response = staff_client(supervisor_a).get(URL)
    assert [e.action for e in response.context["page"]] == ["records.service.updated"]
    html = response.content.decode()
    assert "更正服務時數" in html and '<span class="before">3</span>' in html
    assert "陳大同" not in html


def test_the_authority_reads_every_unit_under_it(staff_client, authority_clerk, entries):
    response = staff_client(authority_clerk).get(URL)
    assert {e.action for e in response.context["page"]} == {
        "records.service.updated", "backoffice.volunteer.viewed", "accounts.password.change"}
    assert "陳大同" in response.content.decode()


def test_filters_by_unit_volunteer_action_and_date(staff_client, authority_clerk, entries, unit_b):
    client = staff_client(authority_clerk)
    assert list(client.get(URL, {"unit_filter": unit_b.pk}).context["page"]) == list(
        AuditEntry.objects.filter(unit=unit_b))
    by_name = client.get(URL, {"volunteer": "陳大同"}).context["page"]
    assert {e.action for e in by_name} == {"backoffice.volunteer.viewed"}
    by_id = client.get(URL, {"volunteer": "E122333441"}).context["page"]
    assert {e.action for e in by_id} == {"records.service.updated", "accounts.password.change"}
    by_action = client.get(URL, {"action": "records.service.updated"}).context["page"]
    assert [e.action for e in by_action] == ["records.service.updated"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert not client.get(URL, {"from": f"{tomorrow.year - 1911}/{tomorrow:%m/%d}"}).context["page"].object_list


def test_a_unit_filter_for_a_unit_not_managed_shows_nothing(staff_client, supervisor_a, entries, unit_b):
    assert not staff_client(supervisor_a).get(URL, {"unit_filter": unit_b.pk}).context["page"].object_list


def test_a_bad_date_is_explained(staff_client, supervisor_a, entries):
    html = staff_client(supervisor_a).get(URL, {"to": "abc"}).content.decode()
    assert "不是有效的民國日期" in html


def test_viewing_a_volunteer_appears_in_the_log(staff_client, supervisor_a, volunteer):
    client = staff_client(supervisor_a)
    client.get(reverse("backoffice:volunteer", args=[volunteer.pk]))
    html = client.get(URL, {"person": volunteer.pk}).content.decode()
    assert "查看志工個人資料" in html and "何小倫" in html
