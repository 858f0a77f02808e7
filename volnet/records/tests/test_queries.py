import datetime as dt
from decimal import Decimal

import pytest

from volnet.accounts.models import User
from volnet.records import queries
from volnet.records.models import (
    Award,
    InsuranceCoverage,
    InsurancePolicy,
    OtherItem,
    RecordBook,
    ServiceRecord,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db
D = dt.date


def _training(volunteer, unit, start, minutes=120, end=None, **extra):
    return TrainingRecord.objects.create(
        volunteer=volunteer, unit=unit, kind=extra.pop("kind", TrainingRecord.Kind.BASIC), course="基礎訓練",
        organiser="某訓練單位", start_date=start, end_date=end, minutes=minutes, **extra
    )


def test_services_for_lists_approved_records_newest_first(service_record):
    old = service_record(start=D(2023, 1, 5))
    new = service_record(start=D(2025, 3, 1))
    service_record(start=D(2025, 4, 1), status=ServiceRecord.Status.PENDING, self_reported=True)
    service_record(start=D(2025, 5, 1), status=ServiceRecord.Status.DECLINED, self_reported=True)
    assert list(queries.services_for(old.volunteer)) == [new, old]


def test_services_for_never_returns_another_volunteers_records(service_record, volunteer, other_volunteer):
    mine = service_record()
    service_record(volunteer=other_volunteer)
    assert list(queries.services_for(volunteer)) == [mine]
    assert queries.service_for(other_volunteer, mine.pk) is None
    assert queries.service_for(volunteer, mine.pk) == mine


def test_services_for_filters_by_unit_item_and_overlapping_period(service_record, unit_b, volunteer):
    a = service_record(start=D(2024, 12, 20), end=D(2025, 1, 10), item="綜合服務")
    b = service_record(start=D(2025, 2, 1), unit=unit_b, item="環保服務")
    c = service_record(start=D(2025, 6, 1), item="綜合服務")
    assert list(queries.services_for(volunteer, unit=unit_b)) == [b]
    assert list(queries.services_for(volunteer, service_item="綜合服務")) == [c, a]
    # a record that straddles the start of the period is kept: periods overlap
    assert list(queries.services_for(volunteer, start=D(2025, 1, 1), end=D(2025, 3, 1))) == [b, a]
    assert list(queries.services_for(volunteer, start=D(2025, 3, 2))) == [c]
    assert list(queries.services_for(volunteer, end=D(2024, 12, 31))) == [a]


def test_yearly_totals_group_by_the_year_a_record_started_in(service_record, volunteer):
    service_record(hours="3.7", start=D(2024, 1, 1))
    service_record(hours="10", start=D(2023, 9, 1), end=D(2024, 1, 31))
    service_record(hours="2.5", start=D(2023, 3, 1))
    service_record(hours="5", start=D(2024, 2, 1), status=ServiceRecord.Status.PENDING)
    totals = queries.yearly_totals(volunteer)
    assert totals == [
        queries.YearTotal(2024, Decimal("3.7"), 1),
        queries.YearTotal(2023, Decimal("12.5"), 2),
    ]
    assert totals[0].roc_year == 113


def test_misuse_annotated_records_are_listed_but_never_counted(service_record, volunteer):
    service_record(hours="4", start=D(2024, 5, 1))
    flagged = service_record(hours="6", start=D(2024, 6, 1), misuse_note="紀錄冊借用他人")
    service_record(hours="8", start=D(2022, 6, 1), misuse_note="冒用")
    assert flagged in queries.services_for(volunteer)
    assert not flagged.counts_toward_hours
    assert queries.yearly_totals(volunteer) == [
        queries.YearTotal(2024, Decimal("4"), 2),
        queries.YearTotal(2022, Decimal("0"), 1),
    ]


def test_hours_summary_adds_up_the_years_and_picks_this_year(service_record, volunteer):
    service_record(hours="3", start=D(2026, 2, 1))
    service_record(hours="1.5", start=D(2026, 3, 1))
    service_record(hours="10", start=D(2020, 3, 1))
    summary = queries.hours_summary(volunteer, today=D(2026, 11, 25))
    assert (summary.total_hours, summary.this_year_hours, summary.records) == (Decimal("14.5"), Decimal("4.5"), 3)
    assert summary.years[-1].year == 2020
    assert queries.hours_summary(volunteer, today=D(2027, 1, 1)).this_year_hours == 0


def test_a_volunteer_without_records_has_zero_everywhere(volunteer):
    summary = queries.hours_summary(volunteer)
    assert (summary.total_hours, summary.this_year_hours, summary.records, summary.years) == (0, 0, 0, [])
    assert queries.training_totals(volunteer) == (0, 0, 0)
    assert queries.current_record_book(volunteer) is None
    assert queries.current_insurance(volunteer) == []


def test_pending_services_hold_self_reports_in_review_and_declined_ones(service_record, volunteer):
    service_record(start=D(2025, 1, 1))
    pending = service_record(start=D(2025, 2, 1), status=ServiceRecord.Status.PENDING, self_reported=True)
    declined = service_record(start=D(2025, 3, 1), status=ServiceRecord.Status.DECLINED, decline_reason="日期有誤")
    assert queries.pending_services_for(volunteer) == [declined, pending]


def test_the_fingerprint_changes_with_every_kind_of_change(service_record, volunteer):
    record = service_record(hours="2")
    seen = {queries.services_fingerprint(volunteer)}

    def changed():
        value = queries.services_fingerprint(volunteer)
        assert value not in seen
        seen.add(value)

    service_record(hours="1")
    changed()
    ServiceRecord.objects.filter(pk=record.pk).update(hours=Decimal("2.5"))  # no updated_at
    changed()
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.DECLINED)
    changed()
    ServiceRecord.objects.filter(pk=record.pk).update(misuse_note="冒用")
    changed()
    record.refresh_from_db()
    record.content = "改過的內容"
    record.save()
    changed()
    record.delete()
    changed()


def test_trainings_are_newest_first_and_totalled(volunteer, unit_a, other_volunteer):
    a = _training(volunteer, unit_a, D(2021, 5, 5), minutes=120)
    b = _training(volunteer, unit_a, D(2021, 10, 2), end=D(2021, 10, 3), minutes=720, sessions=2)
    _training(other_volunteer, unit_a, D(2022, 1, 1))
    assert list(queries.trainings_for(volunteer)) == [b, a]
    assert queries.training_totals(volunteer) == (2, 3, 840)


def test_the_current_record_book_is_the_one_not_cancelled(volunteer, authority):
    old = RecordBook.objects.create(volunteer=volunteer, authority=authority, number="A-1", issued_on=D(2015, 1, 1),
                                    status=RecordBook.Status.CANCELLED, category="social_welfare")
    new = RecordBook.objects.create(volunteer=volunteer, authority=authority, number="A-2", issued_on=D(2020, 1, 1),
                                    status=RecordBook.Status.REPLACED, category="social_welfare")
    assert list(queries.record_books_for(volunteer)) == [new, old]
    assert queries.current_record_book(volunteer) == new


def _policy(unit, start, end, *covered, number="P-1"):
    policy = InsurancePolicy.objects.create(unit=unit, insurer="富邦產物保險", policy_number=number,
                                            start_date=start, end_date=end, accident_sum=1_000_000, medical_sum=30_000)
    for person in covered:
        InsuranceCoverage.objects.create(policy=policy, volunteer=person)
    return policy


def test_current_insurance_covers_today_inclusive_and_only_the_insured(volunteer, other_volunteer, unit_a):
    last_year = _policy(unit_a, D(2025, 1, 1), D(2025, 12, 31), volunteer, number="P-2025")
    this_year = _policy(unit_a, D(2026, 1, 1), D(2026, 12, 31), volunteer, number="P-2026")
    _policy(unit_a, D(2026, 1, 1), D(2026, 12, 31), other_volunteer, number="P-other")
    assert list(queries.insurance_for(volunteer)) == [this_year, last_year]
    assert queries.current_insurance(volunteer, today=D(2026, 12, 31)) == [this_year]
    assert queries.current_insurance(volunteer, today=D(2027, 1, 1)) == []
    assert last_year.state_on(D(2026, 6, 1)) == "expired"
    assert this_year.state_on(D(2025, 6, 1)) == "future"
    assert this_year.state_on(D(2026, 1, 1)) == "current"


def test_awards_are_grouped_under_all_three_kinds(volunteer):
    def award(kind, day):
        return Award.objects.create(volunteer=volunteer, kind=kind, name="獎", awarded_on=day, granted_by="衛生福利部")

    old = award(Award.Kind.OTHER, D(2020, 1, 1))
    new = award(Award.Kind.OTHER, D(2024, 1, 1))
    medal = award(Award.Kind.VOLUNTEER_SERVICE, D(2023, 1, 1))
    grouped = queries.awards_by_kind(volunteer)
    assert [(kind, label) for kind, label, _ in grouped] == [
        ("health_welfare", "衛生福利獎勵"), ("volunteer_service", "志願服務獎勵"), ("other", "其他獎項表揚")]
    assert [awards for _, _, awards in grouped] == [[], [medal], [new, old]]


def test_other_items_are_newest_first(volunteer, unit_a):
    a = OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title="小隊長", start_date=D(2024, 1, 1))
    b = OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title="幹部", start_date=D(2025, 1, 1))
    assert list(queries.other_items_for(volunteer)) == [b, a]


def test_the_demo_volunteer_has_the_manuals_totals(demo):
    bear = User.objects.get(national_id="E122333441")
    totals = {y.roc_year: y.hours for y in queries.yearly_totals(bear)}
    assert totals == {115: Decimal("33"), 114: Decimal("11"), 113: Decimal("40.7"), 112: Decimal("67"),
                      111: Decimal("16")}
    assert queries.hours_summary(bear).total_hours == Decimal("167.7")
    assert queries.training_totals(bear) == (3, 3, 1200)
