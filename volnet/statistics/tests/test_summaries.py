"""The summary tables agree with a direct count over the records after every kind of write: the records'
services, an edit that moves a record to another month or unit, a delete, the Excel import's batched INSERT, a
person's answer that makes a unit's entries count, membership changes; and `rebuild_statistics` gives the same."""

import datetime as dt
import io
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count, Sum

from volnet.people import services as people_services
from volnet.records import imports, services
from volnet.records.models import Consent, ServiceRecord
from volnet.records.tests.excel_files import service_row, xlsx
from volnet.statistics.models import ServiceMonth, VolunteerCount
from volnet.units.models import Membership, Unit


def summary():
    return sorted((row.unit_id, row.year, row.month, row.service_item, row.hours, row.records)
                  for row in ServiceMonth.objects.all())


def direct():
    rows = (ServiceRecord.objects.counting().order_by()
            .values_list("unit_id", "start_date", "service_item", "hours"))
    found = {}
    for unit_id, start, item, hours in rows:
        key = (unit_id, start.year, start.month, item)
        total, count = found.get(key, (Decimal("0"), 0))
        found[key] = (total + hours, count + 1)
    return sorted((*key, hours, count) for key, (hours, count) in found.items())


def people_summary():
    return sorted((row.unit_id, row.sex, row.birth_year, row.active, row.people)
                  for row in VolunteerCount.objects.all())


def people_direct():
    rows = (Membership.objects.accepted().order_by()
            .values_list("unit_id", "volunteer__sex", "volunteer__birth_date__year", "status")
            .annotate(n=Count("id")))
    found = {}
    for unit_id, sex, year, status, n in rows:
        key = (unit_id, sex, year, status == Membership.Status.ACTIVE)
        found[key] = found.get(key, 0) + n
    return sorted((*key, n) for key, n in found.items())


def test_the_services_keep_the_hours_summed(unit_a, unit_b, volunteer, supervisor_a, authority_clerk):
    record = services.add_service(actor=supervisor_a, unit=unit_a, volunteer=volunteer, service_item="關懷訪視",
                                  content="獨居長者", start_date=dt.date(2025, 3, 4), hours=Decimal("2.5"),
                                  today=dt.date(2025, 6, 1))
    assert summary() == [(unit_a.pk, 2025, 3, "關懷訪視", Decimal("2.5"), 1)]
    services.update_service(record, actor=supervisor_a, start_date=dt.date(2025, 4, 2), end_date=dt.date(2025, 4, 2),
                            hours=Decimal("3"),
                            today=dt.date(2025, 6, 1))
    assert summary() == [(unit_a.pk, 2025, 4, "關懷訪視", Decimal("3.0"), 1)] == direct()
    services.delete_service(ServiceRecord.objects.get(), actor=supervisor_a)
    assert summary() == [] == direct()


def test_a_record_moved_to_another_unit_leaves_the_first(service_record, unit_a, unit_b):
    record = service_record(hours="4", start=dt.date(2024, 12, 31))
    record.unit = unit_b
    record.start_date = record.end_date = dt.date(2025, 1, 1)
    record.save()
    assert summary() == [(unit_b.pk, 2025, 1, "綜合服務", Decimal("4.0"), 1)] == direct()


def test_records_that_do_not_count_are_not_summed(service_record):
    service_record(hours="1", status=ServiceRecord.Status.PENDING)
    service_record(hours="2", misuse_note="借用他人紀錄冊")
    service_record(hours="3", consent=Consent.AWAITING)
    assert summary() == [] == direct()
    approved = service_record(hours="5")
    approved.misuse_note = "借用他人紀錄冊"
    approved.save()
    assert summary() == []


def test_the_excel_import_is_summed_in_its_transaction(unit_a, volunteer, supervisor_a):
    data = xlsx([service_row(hours="3.5"), service_row(start="114/04/02", end="", hours=6)])
    outcome = imports.import_file(data, unit=unit_a, registrant=supervisor_a, today=dt.date(2025, 6, 30))
    assert outcome.created == 2
    assert summary() == direct() and len(summary()) == 2


def test_a_persons_answer_makes_the_units_entries_count(authority, volunteer, service_record):
    asked = Membership.objects.create(volunteer=volunteer, unit=Unit.objects.create(name="新單位", authority=authority),
                                      status=Membership.Status.PENDING)
    service_record(unit=asked.unit, consent=Consent.AWAITING)
    assert summary() == []
    people_services.settle(asked, accept=True)
    assert summary() == direct() and [row[0] for row in summary()] == [asked.unit_id]
    assert people_summary() == people_direct()


def test_memberships_and_a_persons_sex_and_birth_date_are_counted(unit_a, unit_b, volunteer, other_volunteer):
    assert people_summary() == people_direct() and len(people_summary()) == 2
    volunteer.sex, volunteer.birth_date = "F", dt.date(1990, 1, 1)
    volunteer.save()
    membership = Membership.objects.get(volunteer=other_volunteer)
    membership.status, membership.left_on = Membership.Status.ENDED, dt.date(2025, 1, 1)
    membership.save()
    assert people_summary() == people_direct() == sorted([
        (unit_a.pk, "F", 1990, True, 1), (unit_b.pk, "M", 1971, False, 1)])


def test_rebuild_statistics_sums_everything_again(service_record, unit_b, other_volunteer):
    service_record(hours="2", start=dt.date(2025, 2, 1))
    service_record(hours="3", start=dt.date(2025, 2, 9), item="環境清潔")
    expected, expected_people = summary(), people_summary()
    ServiceMonth.objects.all().delete()
    VolunteerCount.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_statistics", stdout=out, stderr=err)
    assert summary() == expected == direct() and people_summary() == expected_people == people_direct()
    assert "2" in out.getvalue() and "100%" in err.getvalue()
    assert ServiceMonth.objects.aggregate(total=Sum("hours"))["total"] == Decimal("5.0")


def test_insurance_and_training_written_around_the_models_reach_the_figures(unit_a, volunteer, supervisor_a):
    from volnet.records.import_insurance import COLUMNS, INSURANCE
    from volnet.records.models import TrainingRecord
    from volnet.statistics import queries

    area = queries.Area(authorities={unit_a.authority_id})
    header = [column.title for column in COLUMNS]
    row = ["E122333441", "測試熊", "臺灣產物保險", "TW-114-0001", "114/07/01", "115/06/30", 1000000, 30000, ""]
    outcome = imports.import_file(xlsx([row], header, title="志工保險"), unit=unit_a, registrant=supervisor_a,
                                  kind=INSURANCE, today=dt.date(2025, 8, 1), file_name="保險.xlsx")
    assert outcome.created == 1  # a bulk_create: no post_save, the import says so itself
    assert (queries.insured(area, 2025), queries.insured(area, 2026), queries.insured(area, 2024)) == (1, 1, 0)
    services.add_policy(actor=supervisor_a, unit=unit_a, insurer="產險", policy_number="P-2",
                        start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31), volunteers=[volunteer])
    assert queries.insured(area, 2024) == 1
    assert queries.volunteers(area)["trained"] == 0
    services.add_training(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind=TrainingRecord.Kind.BASIC,
                          course="基礎訓練", organiser="社會局", start_date=dt.date(2024, 3, 1), minutes=720)
    assert queries.volunteers(area) == {"all": 1, "active": 1, "trained": 1}
