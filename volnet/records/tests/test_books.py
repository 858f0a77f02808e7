"""Record-book service rules: eligibility by training, numbering, 換發/補發/註銷, tenancy, audit."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.records import books
from volnet.records.books import BookError, Kind
from volnet.records.models import RecordBook, RecordBookApplication, RecordBookSequence, TrainingRecord
from volnet.units.models import Membership, StaffRole, Unit

SOCIAL = "social_welfare"


def train(person, unit, kind, category="", day=dt.date(2024, 3, 1)):
    return TrainingRecord.objects.create(
        volunteer=person, unit=unit, kind=kind, category=category, course=f"{kind}訓練", organiser="社會局",
        start_date=day, minutes=360, certificate_number="中社訓字第1號",
    )


@pytest.fixture
def trained(volunteer, unit_a):
    train(volunteer, unit_a, TrainingRecord.Kind.BASIC)
    train(volunteer, unit_a, TrainingRecord.Kind.SPECIAL, SOCIAL)
    return volunteer


def apply_first(actor, unit, person, category=SOCIAL):
    return books.apply(actor=actor, unit=unit, volunteer=person, kind=Kind.FIRST, category=category)


# --- eligibility ----------------------------------------------------------------------------------


def test_it_refuses_a_first_book_without_basic_training(volunteer, unit_a, supervisor_a):
    train(volunteer, unit_a, TrainingRecord.Kind.SPECIAL, SOCIAL)
    with pytest.raises(BookError) as error:
        apply_first(supervisor_a, unit_a, volunteer)
    assert error.value.code == "not_eligible"
    assert "尚未完成基礎訓練" in error.value.message
    assert not RecordBookApplication.objects.exists()


def test_it_refuses_a_first_book_without_special_training_of_the_books_category(volunteer, unit_a, supervisor_a):
    train(volunteer, unit_a, TrainingRecord.Kind.BASIC)
    train(volunteer, unit_a, TrainingRecord.Kind.SPECIAL, "education")
    check = books.eligibility(volunteer, Kind.FIRST, SOCIAL)
    assert check.reasons == ["尚未完成社會福利類特殊訓練（請先登錄該類別的特殊訓練紀錄）。"]
    assert books.eligibility(volunteer, Kind.FIRST, "education").ok


def test_in_service_training_does_not_count_as_basic(volunteer, unit_a):
    train(volunteer, unit_a, TrainingRecord.Kind.IN_SERVICE)
    train(volunteer, unit_a, TrainingRecord.Kind.SPECIAL, SOCIAL)
    assert not books.eligibility(volunteer, Kind.FIRST, SOCIAL).ok


def test_a_trained_member_gets_a_pending_application_with_an_audit_entry(trained, unit_a, supervisor_a):
    application = apply_first(supervisor_a, unit_a, trained)
    assert application.status == RecordBookApplication.Status.PENDING
    assert application.applied_by == supervisor_a
    entry = AuditEntry.objects.get(action="records.book_application.created")
    assert entry.actor == supervisor_a and entry.volunteer == trained and entry.unit == unit_a


def test_it_refuses_a_second_pending_application(trained, unit_a, supervisor_a):
    apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(BookError) as error:
        apply_first(supervisor_a, unit_a, trained)
    assert error.value.code == "already_pending"
    assert RecordBookApplication.objects.count() == 1


def test_the_database_allows_one_pending_application_per_volunteer(trained, unit_a, supervisor_a):
    apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordBookApplication.objects.create(volunteer=trained, unit=unit_a, kind=Kind.FIRST, category=SOCIAL)


def test_it_refuses_a_first_book_for_a_holder_and_a_renewal_for_a_non_holder(trained, unit_a, supervisor_a):
    with pytest.raises(BookError, match="尚未持有有效紀錄冊"):
        books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=Kind.RENEWED, category=SOCIAL)
    RecordBook.objects.create(volunteer=trained, number="X1", authority=unit_a.authority,
                              issued_on=dt.date(2022, 1, 1), category=SOCIAL)
    with pytest.raises(BookError, match="請改申請換發或補發"):
        apply_first(supervisor_a, unit_a, trained)


def test_a_replacement_needs_a_reason(trained, unit_a, supervisor_a):
    RecordBook.objects.create(volunteer=trained, number="X1", authority=unit_a.authority,
                              issued_on=dt.date(2022, 1, 1), category=SOCIAL)
    with pytest.raises(BookError) as error:
        books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=Kind.REPLACED, category=SOCIAL)
    assert error.value.code == "note_required"


def test_the_roster_lists_the_fields_the_authority_needs_and_what_is_missing(volunteer):
    roster = books.roster(volunteer)
    assert (roster.name, roster.sex, roster.birth_date, roster.masked_id) == ("測試熊", "男", dt.date(1981, 5, 20),
                                                                              "E12233****")
    assert roster.has_photo is False and roster.missing == ["大頭照"]


# --- tenancy --------------------------------------------------------------------------------------


def test_a_unit_applies_only_for_its_own_active_members(trained, unit_a, unit_b, supervisor_b, supervisor_a):
    with pytest.raises(BookError) as error:
        apply_first(supervisor_b, unit_a, trained)
    assert error.value.code == "forbidden"
    with pytest.raises(BookError) as error:
        apply_first(supervisor_b, unit_b, trained)
    assert error.value.code == "not_member"
    Membership.objects.filter(volunteer=trained).update(status=Membership.Status.ENDED, left_on=dt.date(2025, 1, 1))
    with pytest.raises(BookError, match="不是.*服務中志工"):
        apply_first(supervisor_a, unit_a, trained)


def test_only_the_units_competent_authority_issues(trained, unit_a, supervisor_a, other_authority):
    application = apply_first(supervisor_a, unit_a, trained)
    elsewhere = make_person("A800000014", "外縣市承辦")
    StaffRole.objects.create(user=elsewhere, role="authority_staff", authority=other_authority)
    for outsider in (elsewhere, supervisor_a):
        with pytest.raises(BookError) as error:
            books.issue(application, actor=outsider)
        assert error.value.code == "not_authority"
        with pytest.raises(BookError):
            books.reject(application, actor=outsider, reason="不行")
    assert not RecordBook.objects.exists()


def test_a_sector_authority_sees_a_unit_but_does_not_issue_its_books(trained, unit_a, supervisor_a, other_authority):
    unit_a.sector_authority = other_authority
    unit_a.save()
    sector_clerk = make_person("A800000014", "目的事業承辦")
    StaffRole.objects.create(user=sector_clerk, role="authority_staff", authority=other_authority)
    application = apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(BookError, match="主管機關"):
        books.issue(application, actor=sector_clerk)


# --- issuing and numbering ------------------------------------------------------------------------


def test_issuing_gives_a_numbered_first_book_and_closes_the_application(trained, unit_a, supervisor_a,
                                                                        authority_clerk):
    application = apply_first(supervisor_a, unit_a, trained)
    book = books.issue(application, actor=authority_clerk, issued_on=dt.date(2026, 3, 2))
    assert book.number == "TXG115-000001"
    assert (book.status, book.category, book.authority, book.applied_by) == (Kind.FIRST, SOCIAL, unit_a.authority,
                                                                             unit_a)
    application.refresh_from_db()
    assert application.status == RecordBookApplication.Status.ISSUED and application.book == book
    assert application.decided_by == authority_clerk
    assert AuditEntry.objects.filter(action="records.book.issued", volunteer=trained).exists()


def test_numbers_follow_one_sequence_per_authority_and_continue_after_hand_entered_ones(
        unit_a, supervisor_a, authority_clerk, authority):
    RecordBook.objects.create(volunteer=make_person("A123456789", "舊冊"), number="TC110-000123", authority=authority,
                              issued_on=dt.date(2021, 11, 1), category=SOCIAL)
    numbers = []
    for national_id in ["F222222222", "A900000016", "A870000015"]:
        person = make_person(national_id, "新志工")
        Membership.objects.create(volunteer=person, unit=unit_a)
        train(person, unit_a, TrainingRecord.Kind.BASIC)
        train(person, unit_a, TrainingRecord.Kind.SPECIAL, SOCIAL)
        numbers.append(books.issue(apply_first(supervisor_a, unit_a, person), actor=authority_clerk,
                                   issued_on=dt.date(2026, 1, 5)).number)
    assert numbers == ["TC115-000124", "TC115-000125", "TC115-000126"]
    assert RecordBookSequence.objects.get(authority=authority).last_number == 126


def test_a_number_is_never_given_out_again_even_after_its_book_is_gone(trained, unit_a, supervisor_a,
                                                                       authority_clerk):
    first = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    first.delete()  # e.g. removed by the system admin
    again = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    assert again.number.endswith("-000002")


def test_the_sequence_skips_a_number_typed_in_by_hand(trained, unit_a, supervisor_a, authority_clerk, authority):
    RecordBookSequence.objects.create(authority=authority, prefix="TC", last_number=9)
    year = timezone.localdate().year - 1911
    RecordBook.objects.create(volunteer=make_person("A123456789", "手動"), number=f"TC{year}-000010",
                              authority=authority, issued_on=timezone.localdate(), category=SOCIAL)
    book = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    assert book.number == f"TC{year}-000011"


def test_the_database_refuses_a_duplicate_number_within_an_authority(volunteer, authority, other_authority):
    RecordBook.objects.create(volunteer=volunteer, number="TC1", authority=authority, issued_on=dt.date(2022, 1, 1),
                              category=SOCIAL, status=Kind.CANCELLED)
    RecordBook.objects.create(volunteer=volunteer, number="TC1", authority=other_authority,
                              issued_on=dt.date(2022, 1, 1), category=SOCIAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordBook.objects.create(volunteer=volunteer, number="TC1", authority=authority,
                                  issued_on=dt.date(2022, 1, 1), category=SOCIAL, status=Kind.CANCELLED)


def test_it_refuses_an_issue_date_in_the_future(trained, unit_a, supervisor_a, authority_clerk):
    application = apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(BookError) as error:
        books.issue(application, actor=authority_clerk, issued_on=timezone.localdate() + dt.timedelta(days=1))
    assert error.value.code == "future_date"


@pytest.mark.parametrize("kind", [Kind.RENEWED, Kind.REPLACED])
def test_renewal_and_replacement_cancel_the_old_book_in_the_same_transaction(kind, trained, unit_a, supervisor_a,
                                                                            authority_clerk):
    old = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk,
                      issued_on=dt.date(2025, 1, 2))
    application = books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=kind, category=SOCIAL,
                              note="紀錄冊遺失")
    new = books.issue(application, actor=authority_clerk, issued_on=dt.date(2026, 2, 3))
    old.refresh_from_db()
    assert (old.status, old.cancelled_on) == (Kind.CANCELLED, dt.date(2026, 2, 3))
    assert new.status == kind and new.number != old.number
    assert list(RecordBook.objects.filter(volunteer=trained).exclude(status=Kind.CANCELLED)) == [new]
    assert AuditEntry.objects.filter(action="records.book.cancelled", object_id=str(old.pk)).exists()


def test_a_failed_renewal_leaves_the_old_book_valid(trained, unit_a, supervisor_a, authority_clerk):
    old = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk,
                      issued_on=dt.date(2025, 6, 1))
    application = books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=Kind.RENEWED, category=SOCIAL)
    with pytest.raises(BookError) as error:
        books.issue(application, actor=authority_clerk, issued_on=dt.date(2025, 5, 1))
    assert error.value.code == "before_previous"
    old.refresh_from_db()
    assert old.status == Kind.FIRST and old.cancelled_on is None
    assert RecordBook.objects.count() == 1


def test_the_database_keeps_one_valid_book_per_volunteer(volunteer, authority):
    RecordBook.objects.create(volunteer=volunteer, number="A1", authority=authority, issued_on=dt.date(2022, 1, 1),
                              category=SOCIAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordBook.objects.create(volunteer=volunteer, number="A2", authority=authority,
                                  issued_on=dt.date(2023, 1, 1), category=SOCIAL, status=Kind.RENEWED)


def test_a_renewal_into_another_category_needs_that_categorys_special_training(trained, unit_a, supervisor_a,
                                                                               authority_clerk):
    books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    with pytest.raises(BookError, match="須先完成教育類特殊訓練"):
        books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=Kind.RENEWED, category="education")


def test_a_book_from_another_authority_continues_and_is_renewed_by_the_new_units_authority(
        trained, unit_a, supervisor_a, authority_clerk, other_authority):
    taipei = RecordBook.objects.create(volunteer=trained, number="TP105-000001", authority=other_authority,
                                       issued_on=dt.date(2016, 1, 1), category=SOCIAL)
    application = books.apply(actor=supervisor_a, unit=unit_a, volunteer=trained, kind=Kind.RENEWED, category=SOCIAL)
    new = books.issue(application, actor=authority_clerk)
    taipei.refresh_from_db()
    assert taipei.status == Kind.CANCELLED and new.authority == unit_a.authority


# --- rejecting, withdrawing, cancelling -----------------------------------------------------------


def test_rejecting_needs_a_reason_and_records_it(trained, unit_a, supervisor_a, authority_clerk):
    application = apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(BookError) as error:
        books.reject(application, actor=authority_clerk, reason="  ")
    assert error.value.code == "reason_required"
    books.reject(application, actor=authority_clerk, reason="照片不清楚，請補件")
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (RecordBookApplication.Status.REJECTED,
                                                               "照片不清楚，請補件")
    with pytest.raises(BookError) as error:
        books.issue(application, actor=authority_clerk)
    assert error.value.code == "not_pending"


def test_the_unit_withdraws_a_pending_application_and_may_apply_again(trained, unit_a, supervisor_a, supervisor_b):
    application = apply_first(supervisor_a, unit_a, trained)
    with pytest.raises(BookError):
        books.withdraw(application, actor=supervisor_b)
    books.withdraw(application, actor=supervisor_a)
    application.refresh_from_db()
    assert application.status == RecordBookApplication.Status.CANCELLED
    assert apply_first(supervisor_a, unit_a, trained).status == RecordBookApplication.Status.PENDING


def test_cancelling_a_book_needs_its_authority_and_a_reason(trained, unit_a, supervisor_a, authority_clerk,
                                                           other_authority):
    book = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    elsewhere = make_person("A800000014", "外縣市承辦")
    StaffRole.objects.create(user=elsewhere, role="authority_staff", authority=other_authority)
    with pytest.raises(BookError, match="只有發給此紀錄冊的主管機關"):
        books.cancel_book(book, actor=elsewhere, reason="轉借")
    with pytest.raises(BookError, match="註銷原因"):
        books.cancel_book(book, actor=authority_clerk, reason="")
    books.cancel_book(book, actor=authority_clerk, reason="轉借他人使用")
    book.refresh_from_db()
    assert book.status == Kind.CANCELLED and book.cancelled_on == timezone.localdate()
    assert AuditEntry.objects.get(action="records.book.cancelled").changes["reason"] == "轉借他人使用"
    with pytest.raises(BookError) as error:
        books.cancel_book(book, actor=authority_clerk, reason="again")
    assert error.value.code == "already_cancelled"
    # After 註銷 the volunteer can get a first book again; it gets a new number.
    again = books.issue(apply_first(supervisor_a, unit_a, trained), actor=authority_clerk)
    assert again.number != book.number


def test_a_team_below_the_unit_applies_to_the_same_authority(trained, unit_a, supervisor_a, authority_clerk,
                                                            authority):
    team = Unit.objects.create(code="2-300", name="樂樂第二隊", authority=authority, parent=unit_a)
    Membership.objects.create(volunteer=trained, unit=team)
    book = books.issue(apply_first(supervisor_a, team, trained), actor=authority_clerk)
    assert book.applied_by == team
