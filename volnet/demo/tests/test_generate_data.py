import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from volnet.accounts.models import User
from volnet.lib import twid
from volnet.records.models import RecordBook, ServiceRecord, TrainingRecord
from volnet.units.models import Membership, Unit


@pytest.mark.django_db(transaction=True)
def test_it_builds_a_consistent_data_set_of_the_requested_size():
    call_command("generate_data", volunteers=40, units=4, records_per_volunteer=5)
    generated = User.objects.filter(national_id__startswith="K")
    assert generated.count() == 40
    assert all(twid.is_valid(n) for n in generated.values_list("national_id", flat=True))
    assert Unit.objects.filter(code__startswith="G-").count() == 4
    assert ServiceRecord.objects.count() == 200
    assert TrainingRecord.objects.filter(kind="special").count() == 40
    assert RecordBook.objects.count() == 40
    assert Membership.objects.filter(status="active").count() == 40
    assert generated.first().check_password("Generated-2026")
    # every volunteer's records belong to the unit they are a member of
    volunteer = generated.last()
    unit_id = Membership.objects.get(volunteer=volunteer).unit_id
    assert set(ServiceRecord.objects.filter(volunteer=volunteer).values_list("unit_id", flat=True)) == {unit_id}


@pytest.mark.django_db(transaction=True)
def test_each_volunteer_can_get_a_number_of_records_within_a_range():
    call_command("generate_data", volunteers=30, units=2, records_per_volunteer=2, most_records_per_volunteer=9)
    per_volunteer = list(ServiceRecord.objects.values("volunteer").annotate(n=Count("id")).values_list("n", flat=True))
    assert len(per_volunteer) == 30
    assert min(per_volunteer) >= 2 and max(per_volunteer) <= 9
    assert len(set(per_volunteer)) > 1


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_twice_on_the_same_database():
    call_command("generate_data", volunteers=2, units=1, records_per_volunteer=1)
    with pytest.raises(CommandError, match="新的資料庫"):
        call_command("generate_data", volunteers=2, units=1, records_per_volunteer=1)


@pytest.mark.django_db
def test_it_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        call_command("generate_data", volunteers=0, units=1, records_per_volunteer=1)
    with pytest.raises(CommandError):
        call_command("generate_data", volunteers=1, units=1, records_per_volunteer=5, most_records_per_volunteer=4)
