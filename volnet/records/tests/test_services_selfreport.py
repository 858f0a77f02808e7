"""Self-reported hours: the volunteer reports, the unit approves or declines (declined entries stay)."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import ServiceRecord
from volnet.records.services import RecordError

DAY = dt.date(2025, 4, 2)


def report(person, unit, **overrides):
    values = dict(service_item="綜合服務", content="圖書整理", start_date=DAY, hours=Decimal("2"))
    values.update(overrides)
    return services.report_hours(volunteer=person, unit=unit, **values)


def test_a_report_waits_for_the_unit_and_has_no_registrant_yet(volunteer, unit_a):
    record = report(volunteer, unit_a)
    assert record.status == ServiceRecord.Status.PENDING
    assert record.self_reported
    assert record.registrant is None
    entry = AuditEntry.objects.get(action="records.service.reported")
    assert (entry.actor, entry.unit) == (volunteer, unit_a)


def test_a_volunteer_reports_only_to_a_unit_they_serve_in_now(volunteer, unit_b, unit_a):
    with pytest.raises(RecordError) as error:
        report(volunteer, unit_b)
    assert error.value.code == "not_member"
    assert error.value.field == "unit"
    volunteer.memberships.update(status="ended", left_on=dt.date(2025, 5, 1))
    with pytest.raises(RecordError):
        report(volunteer, unit_a)
    assert not ServiceRecord.objects.exists()


def test_a_report_follows_the_same_hour_rules(volunteer, unit_a):
    with pytest.raises(RecordError) as error:
        report(volunteer, unit_a, hours=Decimal("25"))
    assert error.value.field == "hours"


def test_approving_makes_the_approver_the_registrant(volunteer, unit_a, supervisor_a):
    record = report(volunteer, unit_a)
    assert services.approve_reports(actor=supervisor_a, unit=unit_a, pks=[record.pk]) == 1
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.APPROVED
    assert record.registrant == supervisor_a
    assert AuditEntry.objects.filter(action="records.service.approved", actor=supervisor_a).count() == 1


def test_declining_needs_a_reason_and_keeps_the_entry(volunteer, unit_a, supervisor_a):
    first = report(volunteer, unit_a)
    second = report(volunteer, unit_a, start_date=dt.date(2025, 4, 3))
    with pytest.raises(RecordError) as error:
        services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[first.pk], reason="  ")
    assert error.value.code == "reason_required"
    assert services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[first.pk, second.pk],
                                    reason="當天未排班") == 2
    declined = ServiceRecord.objects.filter(status=ServiceRecord.Status.DECLINED)
    assert declined.count() == 2
    assert set(declined.values_list("decline_reason", flat=True)) == {"當天未排班"}


def test_a_decided_report_is_not_decided_again(volunteer, unit_a, supervisor_a):
    record = report(volunteer, unit_a)
    services.approve_reports(actor=supervisor_a, unit=unit_a, pks=[record.pk])
    assert services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[record.pk], reason="晚了") == 0
    assert ServiceRecord.objects.get().status == ServiceRecord.Status.APPROVED


def test_another_unit_cannot_approve_and_cannot_reach_the_report_by_its_id(volunteer, unit_a, unit_b,
                                                                           supervisor_b):
    record = report(volunteer, unit_a)
    with pytest.raises(RecordError) as error:
        services.approve_reports(actor=supervisor_b, unit=unit_a, pks=[record.pk])
    assert error.value.code == "forbidden"
    assert services.approve_reports(actor=supervisor_b, unit=unit_b, pks=[record.pk]) == 0
    assert ServiceRecord.objects.get().status == ServiceRecord.Status.PENDING


def test_a_declined_report_does_not_block_the_day_for_a_new_one(volunteer, unit_a, supervisor_a):
    record = report(volunteer, unit_a, hours=Decimal("20"))
    services.decline_reports(actor=supervisor_a, unit=unit_a, pks=[record.pk], reason="時數太多")
    assert report(volunteer, unit_a, hours=Decimal("8"), content="圖書整理（更正）")


def test_a_volunteer_withdraws_only_their_own_undecided_report(volunteer, other_volunteer, unit_a, supervisor_a):
    record = report(volunteer, unit_a)
    with pytest.raises(RecordError):
        services.withdraw_report(record, volunteer=other_volunteer)
    services.withdraw_report(record, volunteer=volunteer)
    assert not ServiceRecord.objects.exists()
    decided = report(volunteer, unit_a)
    services.approve_reports(actor=supervisor_a, unit=unit_a, pks=[decided.pk])
    with pytest.raises(RecordError) as error:
        services.withdraw_report(decided, volunteer=volunteer)
    assert error.value.code == "decided"
