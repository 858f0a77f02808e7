"""申請更正 (issue 16 item 5): a volunteer asks the unit that entered a record to correct it; the unit answers."""

import datetime as dt

import pytest

from volnet.audit.models import AuditEntry
from volnet.notifications.models import Kind, Notification
from volnet.records import corrections
from volnet.records.models import Award, CorrectionRequest, OtherItem, TrainingRecord
from volnet.units.models import Membership

pytestmark = pytest.mark.django_db


def ask(volunteer, record, kind="service", **extra):
    values = {"wrong": "日期錯了", "should_be": "115/03/02"} | extra
    return corrections.request_correction(volunteer, kind, record.pk, **values)


def test_a_request_goes_to_the_unit_that_entered_the_record_and_its_staff_hear_of_it(
        volunteer, supervisor_a, supervisor_b, service_record, unit_a):
    record = service_record(content="電話問安")
    correction = ask(volunteer, record)
    assert correction.unit == unit_a and correction.status == "pending"
    assert "電話問安" in correction.summary and "2 小時" in correction.summary
    note = Notification.objects.get(person=supervisor_a, kind=Kind.CORRECTION_REQUESTED)
    assert "測試熊" in note.text and "電話問安" in note.text
    assert note.link == f"/backoffice/corrections/{correction.pk}/"
    assert not Notification.objects.filter(person=supervisor_b).exists()  # another unit hears nothing
    entry = AuditEntry.objects.get(action="records.correction.requested")
    assert entry.actor == volunteer and entry.volunteer == volunteer and entry.unit == unit_a


def test_a_request_about_someone_elses_record_is_refused_as_not_found(volunteer, other_volunteer, service_record):
    theirs = service_record(volunteer=other_volunteer)
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, theirs)
    assert refused.value.code == "not_found"
    assert not CorrectionRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="records.correction.requested").exists()


@pytest.mark.parametrize("kind", ["nonsense", "", "service "])
def test_an_unknown_kind_is_not_found(volunteer, service_record, kind):
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, service_record(), kind=kind)
    assert refused.value.code == "not_found"


def test_both_fields_are_required_and_limited(volunteer, service_record):
    record = service_record()
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, record, wrong="  ")
    assert (refused.value.code, refused.value.field) == ("wrong_required", "wrong")
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, record, should_be="x" * 501)
    assert refused.value.code == "should_be_too_long"


def test_one_waiting_request_per_record(volunteer, service_record):
    record = service_record()
    ask(volunteer, record)
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, record)
    assert refused.value.code == "pending"
    assert CorrectionRequest.objects.count() == 1


def test_an_award_the_authority_entered_has_no_unit_to_ask(volunteer):
    award = Award.objects.create(volunteer=volunteer, kind="other", name="績優志工", awarded_on=dt.date(2025, 1, 1),
                                 granted_by="臺中市政府")
    with pytest.raises(corrections.CorrectionError) as refused:
        ask(volunteer, award, kind="award")
    assert refused.value.code == "no_unit"


def test_every_kind_of_record_finds_its_unit(volunteer, unit_a, supervisor_a, make_policy_for):
    training = TrainingRecord.objects.create(volunteer=volunteer, unit=unit_a, kind="basic", course="基礎訓練",
                                             organiser="中心", start_date=dt.date(2024, 1, 1), minutes=360)
    item = OtherItem.objects.create(volunteer=volunteer, unit=unit_a, title="幹部經歷", start_date=dt.date(2024, 1, 1))
    policy = make_policy_for(volunteer)
    for kind, record in (("training", training), ("other_item", item), ("insurance", policy)):
        assert ask(volunteer, record, kind=kind).unit == unit_a


@pytest.fixture
def make_policy_for(unit_a):
    from volnet.records.models import InsuranceCoverage, InsurancePolicy

    def make(person):
        policy = InsurancePolicy.objects.create(unit=unit_a, insurer="富邦產物保險", policy_number="P-1",
                                                start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
        InsuranceCoverage.objects.create(policy=policy, volunteer=person)
        return policy

    return make


def test_the_unit_answers_corrected_and_the_volunteer_hears_of_it(volunteer, supervisor_a, service_record):
    correction = ask(volunteer, service_record())
    corrections.answer_correction(supervisor_a, correction.pk, outcome="corrected", answer="已改為 3 月 2 日")
    correction.refresh_from_db()
    assert (correction.status, correction.answer, correction.answered_by) == ("corrected", "已改為 3 月 2 日",
                                                                              supervisor_a)
    note = Notification.objects.get(person=volunteer, kind=Kind.CORRECTION_ANSWERED)
    assert "已更正" in note.text and note.link == f"/me/corrections/service/{correction.record_id}/"
    assert AuditEntry.objects.filter(action="records.correction.answered", actor=supervisor_a).exists()
    with pytest.raises(corrections.CorrectionError) as refused:  # answered once
        corrections.answer_correction(supervisor_a, correction.pk, outcome="declined", answer="x")
    assert refused.value.code == "answered"


def test_declining_needs_a_reason(volunteer, supervisor_a, service_record):
    correction = ask(volunteer, service_record())
    with pytest.raises(corrections.CorrectionError) as refused:
        corrections.answer_correction(supervisor_a, correction.pk, outcome="declined", answer=" ")
    assert (refused.value.code, refused.value.field) == ("answer_required", "answer")
    with pytest.raises(corrections.CorrectionError) as refused:
        corrections.answer_correction(supervisor_a, correction.pk, outcome="approve", answer="")
    assert refused.value.code == "outcome"


def test_another_units_staff_can_neither_read_nor_answer(volunteer, supervisor_b, unit_a, unit_b, service_record):
    correction = ask(volunteer, service_record())
    assert corrections.for_staff(supervisor_b, correction.pk) is None
    with pytest.raises(corrections.CorrectionError) as refused:
        corrections.answer_correction(supervisor_b, correction.pk, outcome="corrected", answer="")
    assert refused.value.code == "not_found"
    assert list(corrections.unit_queue(supervisor_b, unit_b)) == []
    correction.refresh_from_db()
    assert correction.is_pending


def test_the_authority_over_the_unit_reads_its_queue(volunteer, authority_clerk, unit_a, service_record):
    correction = ask(volunteer, service_record())
    assert list(corrections.unit_queue(authority_clerk, unit_a)) == [correction]


def test_a_unit_awaiting_the_volunteers_answer_reads_a_masked_name(volunteer, supervisor_b, unit_b, service_record):
    Membership.objects.create(volunteer=volunteer, unit=unit_b, status=Membership.Status.PENDING)
    record = service_record(unit=unit_b, registrant=supervisor_b, consent="awaiting")
    correction = ask(volunteer, record)
    note = Notification.objects.get(person=supervisor_b)
    assert "測○熊" in note.text and "測試熊" not in note.text
    assert corrections.unit_queue(supervisor_b, unit_b).get().accepted is False
    assert correction.unit == unit_b


def test_the_volunteer_still_sees_the_request_when_the_unit_deleted_the_record(volunteer, service_record):
    record = service_record()
    pk = record.pk
    ask(volunteer, record)
    record.delete()
    assert corrections.find_record(volunteer, "service", pk) is None
    asked = list(corrections.requests_about(volunteer, "service", pk))
    assert len(asked) == 1 and asked[0].summary.startswith("綜合服務")  # kept as the volunteer saw it
