"""An authority registers and edits the units of its area in the site (issue 13, items 1 and 7)."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.desk import services
from volnet.records.models import ServiceRecord
from volnet.units.models import Authority, StaffRole, Unit

pytestmark = pytest.mark.django_db

NEW_UNIT = {"code": "2-400", "name": "臺中市西屯區志工隊", "category": "social_welfare", "district": "西屯區",
            "address": "臺中市西屯區",
            "contact_name": "王小華", "phone": "04-2222-3333", "email": "team@example.tw"}


def _staff_client(client, user):
    client.force_login(user)
    return client


def test_the_clerk_registers_a_unit_and_the_change_is_in_the_audit_log(client, authority_clerk, authority):
    response = _staff_client(client, authority_clerk).post(reverse("desk:unit_new"), NEW_UNIT)
    assert response.status_code == 302
    unit = Unit.objects.get(code="2-400")
    assert unit.authority == authority and unit.category == "social_welfare" and unit.status == "operating"
    assert unit.district == "西屯區"
    entry = AuditEntry.objects.get(action="desk.unit.registered", unit=unit)
    assert entry.actor == authority_clerk and entry.changes["單位名稱"] == ["", "臺中市西屯區志工隊"]
    listing = client.get(reverse("desk:units")).content.decode()
    assert "2-400臺中市西屯區志工隊" in listing


def test_a_code_already_used_is_a_clear_message_and_keeps_what_was_typed(client, authority_clerk, unit_a):
    response = _staff_client(client, authority_clerk).post(reverse("desk:unit_new"), {**NEW_UNIT, "code": "2-299"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "單位代碼 2-299 已由 臺中市樂樂發展協會-樂樂志工隊(測試用) 使用" in page
    assert 'value="臺中市西屯區志工隊"' in page
    assert Unit.objects.count() == 1 and not AuditEntry.objects.filter(action="desk.unit.registered").exists()


def test_an_edit_is_logged_with_before_and_after(client, authority_clerk, unit_a):
    data = {**NEW_UNIT, "code": unit_a.code, "name": "樂樂志工隊（改名）"}
    response = _staff_client(client, authority_clerk).post(reverse("desk:unit_edit", args=[unit_a.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="desk.unit.updated", unit=unit_a)
    assert entry.changes["單位名稱"] == ["臺中市樂樂發展協會-樂樂志工隊(測試用)", "樂樂志工隊（改名）"]


def test_an_authority_sees_and_edits_only_its_own_area(client, authority_clerk, other_authority):
    elsewhere = Unit.objects.create(code="9-001", name="臺北某志工隊", authority=other_authority)
    client = _staff_client(client, authority_clerk)
    assert "臺北某志工隊" not in client.get(reverse("desk:units")).content.decode()
    assert client.get(reverse("desk:unit_edit", args=[elsewhere.pk])).status_code == 404
    assert client.post(reverse("desk:unit_status", args=[elsewhere.pk]),
                       {"status": "closed", "closed_on": "115/01/31"}).status_code == 404
    assert Unit.objects.get(pk=elsewhere.pk).status == "operating"


def test_unit_staff_and_the_central_authority_register_no_units(client, supervisor_a, authority):
    assert _staff_client(client, supervisor_a).get(reverse("desk:units")).status_code == 403
    central = Authority.objects.create(code="MOHW", name="衛生福利部", level=Authority.Level.CENTRAL)
    minister = make_person("A123456789", "部內承辦")
    StaffRole.objects.create(user=minister, role="authority_staff", authority=central)
    with pytest.raises(services.DeskError):
        services.save_unit(actor=minister, authority=central, **NEW_UNIT)


def test_a_closed_unit_keeps_its_records_readable(client, authority_clerk, supervisor_a, unit_a, service_record):
    record = service_record()
    response = _staff_client(client, authority_clerk).post(
        reverse("desk:unit_status", args=[unit_a.pk]), {"status": "closed", "closed_on": "115/01/31"})
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.status, unit_a.is_active, unit_a.closed_on) == ("closed", False, dt.date(2026, 1, 31))
    assert ServiceRecord.objects.filter(pk=record.pk).exists()
    client.force_login(supervisor_a)
    assert "電話問安" in client.get(reverse("backoffice:services")).content.decode()
    assert AuditEntry.objects.filter(action="desk.unit.closed", unit=unit_a).exists()


def test_a_merge_names_an_operating_successor(authority_clerk, unit_a, unit_b):
    services.set_status(actor=authority_clerk, unit=unit_a, status="merged", closed_on=dt.date(2026, 1, 31),
                        successor=unit_b)
    unit_a.refresh_from_db()
    assert unit_a.successor == unit_b and unit_a.status == "merged" and not unit_a.is_active


def test_a_merge_into_a_closed_unit_is_refused_and_nothing_changes(client, authority_clerk, unit_a, unit_b):
    services.set_status(actor=authority_clerk, unit=unit_b, status="closed", closed_on=dt.date(2026, 1, 31))
    response = _staff_client(client, authority_clerk).post(
        reverse("desk:unit_status", args=[unit_a.pk]),
        {"status": "merged", "closed_on": "115/02/28", "successor": unit_b.pk})
    assert response.status_code == 200
    assert "已不再運作，不能併入" in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.status == "operating" and unit_a.successor is None and unit_a.closed_on is None


def test_a_merge_without_a_date_or_successor_says_which(authority_clerk, unit_a):
    with pytest.raises(services.DeskError) as missing_date:
        services.set_status(actor=authority_clerk, unit=unit_a, status="merged")
    assert missing_date.value.field == "closed_on"
    with pytest.raises(services.DeskError) as missing_successor:
        services.set_status(actor=authority_clerk, unit=unit_a, status="merged", closed_on=dt.date(2026, 1, 1))
    assert missing_successor.value.field == "successor"
