"""Insurance: one policy of the unit covering many of its volunteers."""

import datetime as dt

import pytest

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import InsuranceCoverage, InsurancePolicy
from volnet.records.services import RecordError
from volnet.units.models import Membership


@pytest.fixture
def second(unit_a):
    person = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=person, unit=unit_a)
    return person


def add(actor, unit, people, **overrides):
    values = dict(insurer="富邦產物保險", policy_number="P-115-001", start_date=dt.date(2026, 1, 1),
                  end_date=dt.date(2026, 12, 31), accident_sum=1_000_000, medical_sum=30_000)
    values.update(overrides)
    return services.add_policy(actor=actor, unit=unit, volunteers=people, **values)


def test_one_policy_covers_many_volunteers(supervisor_a, unit_a, volunteer, second):
    policy = add(supervisor_a, unit_a, [volunteer, second])
    assert set(policy.volunteers.all()) == {volunteer, second}
    assert policy.registrant == supervisor_a
    entry = AuditEntry.objects.get(action="records.insurance.created")
    assert "測試熊（E12233****）" in entry.changes["被保險志工"][1]


def test_a_policy_covers_only_members_of_the_unit(supervisor_a, unit_a, volunteer, other_volunteer):
    with pytest.raises(RecordError) as error:
        add(supervisor_a, unit_a, [volunteer, other_volunteer])
    assert error.value.field == "volunteers"
    assert "陳大同" in error.value.message
    assert not InsurancePolicy.objects.exists()


def test_a_policy_needs_someone_insured_and_a_period_in_order(supervisor_a, unit_a, volunteer):
    with pytest.raises(RecordError) as error:
        add(supervisor_a, unit_a, [])
    assert error.value.field == "volunteers"
    with pytest.raises(RecordError) as error:
        add(supervisor_a, unit_a, [volunteer], end_date=dt.date(2025, 12, 31))
    assert error.value.field == "end_date"


def test_the_same_policy_is_not_entered_twice(supervisor_a, unit_a, volunteer):
    add(supervisor_a, unit_a, [volunteer])
    with pytest.raises(RecordError) as error:
        add(supervisor_a, unit_a, [volunteer])
    assert error.value.field == "policy_number"


def test_changing_who_is_insured_is_recorded(supervisor_a, unit_a, volunteer, second):
    policy = add(supervisor_a, unit_a, [volunteer])
    services.update_policy(policy, actor=supervisor_a, volunteers=[second])
    assert list(InsuranceCoverage.objects.values_list("volunteer", flat=True)) == [second.pk]
    change = AuditEntry.objects.get(action="records.insurance.updated").changes["被保險志工"]
    assert change == ["測試熊（E12233****）", "王小明（A12345****）"]


def test_another_unit_cannot_delete_the_policy(supervisor_a, supervisor_b, unit_a, volunteer):
    policy = add(supervisor_a, unit_a, [volunteer])
    with pytest.raises(RecordError):
        services.delete_policy(policy, actor=supervisor_b)
    services.delete_policy(policy, actor=supervisor_a)
    assert not InsurancePolicy.objects.exists()
    assert AuditEntry.objects.filter(action="records.insurance.deleted").exists()
