"""Applications: the unit applies, the authority approves or rejects; approval issues the card or award."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.eligibility.models import Rule
from volnet.honorcard import services
from volnet.honorcard.models import AwardApplication, HonorCard, HonorCardApplication
from volnet.honorcard.queries import evaluate_volunteer
from volnet.honorcard.tests.conftest import TODAY
from volnet.lib.rocdate import parse as roc
from volnet.records.models import Award
from volnet.units.models import Authority, Membership, StaffRole, Unit


def apply(actor, volunteer, unit, today=TODAY):
    return services.apply_for_card(actor=actor, volunteer=volunteer, unit=unit, today=today)


def test_a_unit_applies_and_the_authority_issues_a_card_for_three_years(eligible, supervisor_a, authority_clerk,
                                                                        unit_a):
    application = apply(supervisor_a, eligible, unit_a)
    assert application.status == HonorCardApplication.Status.PENDING
    assert (application.hours, application.months) == (320, 39)
    card = services.approve_card_application(actor=authority_clerk, application=application, today=dt.date(2025, 1, 20))
    assert card.number == "TXG-SOC-114-00001"
    assert (card.valid_from, card.valid_to) == (dt.date(2025, 1, 20), dt.date(2028, 1, 20))
    assert (card.counted_from, card.counted_to) == (dt.date(2021, 10, 1), dt.date(2024, 12, 31))
    application.refresh_from_db()
    assert application.status == HonorCardApplication.Status.APPROVED and application.card == card
    actions = set(AuditEntry.objects.filter(volunteer=eligible).values_list("action", flat=True))
    assert {"honorcard.application.created", "honorcard.application.approved", "honorcard.card.issued"} <= actions
    issued = AuditEntry.objects.get(action="honorcard.card.issued")
    assert issued.actor == authority_clerk and issued.object_id == str(card.pk)


def test_hualien_example_1_approved_112_12_13_is_valid_to_115_12_13(build, volunteer, supervisor_a, authority_clerk,
                                                                    unit_a):
    build.ready(dt.date(2019, 1, 2))
    build.hours(dt.date(2020, 1, 1), 300)
    application = apply(supervisor_a, volunteer, unit_a, today=roc("112/12/07"))
    card = services.approve_card_application(actor=authority_clerk, application=application, today=roc("112/12/13"))
    assert (card.valid_from, card.valid_to) == (roc("112/12/13"), roc("115/12/13"))
    assert evaluate_volunteer(volunteer, roc("114/01/15")).honor_card.window_start == roc("112/12/14")


def test_a_card_approved_on_a_leap_day_ends_on_the_28th(build, volunteer, supervisor_a, authority_clerk, unit_a):
    build.ready(dt.date(2020, 10, 1))
    build.hours(dt.date(2021, 5, 1), 300)
    application = apply(supervisor_a, volunteer, unit_a, today=dt.date(2024, 2, 20))
    card = services.approve_card_application(actor=authority_clerk, application=application, today=dt.date(2024, 2, 29))
    assert card.valid_to == dt.date(2027, 2, 28)


def test_hours_of_an_issued_card_do_not_make_the_volunteer_eligible_again(eligible, supervisor_a, authority_clerk,
                                                                          unit_a):
    services.approve_card_application(actor=authority_clerk, application=apply(supervisor_a, eligible, unit_a),
                                      today=TODAY)
    with pytest.raises(services.HonorCardError) as error:
        apply(supervisor_a, eligible, unit_a, today=dt.date(2025, 3, 1))
    assert error.value.code == "not_eligible"
    assert "時數不足 0/300" in error.value.message


def test_a_new_card_starts_after_the_previous_one_ends(build, volunteer, supervisor_a, authority_clerk, unit_a):
    build.ready(dt.date(2018, 7, 2))
    build.card(valid_from=dt.date(2021, 9, 30), valid_to=dt.date(2025, 2, 10))  # irregular old paper card
    build.hours(dt.date(2022, 1, 1), 300)
    card = services.approve_card_application(actor=authority_clerk, application=apply(supervisor_a, volunteer, unit_a),
                                             today=dt.date(2025, 1, 20))
    assert (card.valid_from, card.valid_to) == (dt.date(2025, 2, 11), dt.date(2028, 2, 11))


def test_card_numbers_are_serial_per_authority_and_year(eligible, other_volunteer, build, supervisor_a, authority_clerk,
                                                        unit_a, other_authority):
    Membership.objects.create(volunteer=other_volunteer, unit=unit_a, joined_on=dt.date(2021, 1, 1))
    build.ready(dt.date(2021, 10, 1), volunteer=other_volunteer)
    build.hours(dt.date(2022, 5, 1), 300, volunteer=other_volunteer)
    first = services.approve_card_application(actor=authority_clerk, application=apply(supervisor_a, eligible, unit_a),
                                              today=TODAY)
    second = services.approve_card_application(
        actor=authority_clerk, application=apply(supervisor_a, other_volunteer, unit_a), today=TODAY
    )
    assert (first.number, second.number) == ("TXG-SOC-114-00001", "TXG-SOC-114-00002")
    assert services.next_card_number(other_authority, TODAY) == "TPE-SOC-114-00001"


def test_an_ineligible_volunteer_cannot_be_applied_for_and_the_reasons_are_given(build, volunteer, supervisor_a,
                                                                                 unit_a):
    build.basic(dt.date(2021, 10, 1))
    build.book(dt.date(2021, 10, 1))
    with pytest.raises(services.HonorCardError) as error:
        apply(supervisor_a, volunteer, unit_a)
    assert error.value.code == "not_eligible"
    assert "缺特殊訓練" in error.value.message and "缺證件照" in error.value.message
    assert not HonorCardApplication.objects.exists()


def test_one_pending_application_per_volunteer(eligible, supervisor_a, unit_a):
    apply(supervisor_a, eligible, unit_a)
    with pytest.raises(services.HonorCardError) as error:
        apply(supervisor_a, eligible, unit_a)
    assert error.value.code == "pending"


def test_unit_b_cannot_apply_for_unit_as_volunteer(eligible, supervisor_b, unit_a):
    with pytest.raises(PermissionDenied):
        apply(supervisor_b, eligible, unit_a)


def test_a_unit_cannot_apply_for_someone_who_does_not_serve_there(eligible, supervisor_b, unit_b):
    with pytest.raises(services.HonorCardError) as error:
        apply(supervisor_b, eligible, unit_b)
    assert error.value.code == "not_member"


def test_only_the_applying_unit_may_cancel_and_only_while_pending(eligible, supervisor_a, supervisor_b, authority_clerk,
                                                                  unit_a):
    application = apply(supervisor_a, eligible, unit_a)
    with pytest.raises(PermissionDenied):
        services.cancel_application(actor=supervisor_b, application=application)
    services.cancel_application(actor=supervisor_a, application=application)
    application.refresh_from_db()
    assert application.status == HonorCardApplication.Status.CANCELLED
    assert AuditEntry.objects.filter(action="honorcard.application.cancelled").exists()
    with pytest.raises(services.HonorCardError) as error:
        services.approve_card_application(actor=authority_clerk, application=application, today=TODAY)
    assert error.value.code == "decided"
    assert not HonorCard.objects.exists()
    apply(supervisor_a, eligible, unit_a)  # a cancelled application does not block a new one


def test_only_staff_of_the_reviewing_authority_approve(eligible, supervisor_a, unit_a, other_authority):
    application = apply(supervisor_a, eligible, unit_a)
    with pytest.raises(PermissionDenied):
        services.approve_card_application(actor=supervisor_a, application=application, today=TODAY)
    stranger = make_person("A800000014", "外縣市承辦")
    StaffRole.objects.create(user=stranger, role=StaffRole.Role.AUTHORITY_STAFF, authority=other_authority)
    with pytest.raises(PermissionDenied):
        services.approve_card_application(actor=stranger, application=application, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.reject_application(actor=stranger, application=application, note="不符")
    assert not HonorCard.objects.exists()


def test_a_rejection_needs_a_reason_and_is_audited(eligible, supervisor_a, authority_clerk, unit_a):
    application = apply(supervisor_a, eligible, unit_a)
    with pytest.raises(services.HonorCardError) as error:
        services.reject_application(actor=authority_clerk, application=application, note="  ")
    assert error.value.code == "note"
    services.reject_application(actor=authority_clerk, application=application, note="照片不清晰，請重新上傳")
    application.refresh_from_db()
    assert application.status == HonorCardApplication.Status.REJECTED
    assert application.decision_note == "照片不清晰，請重新上傳"
    assert AuditEntry.objects.filter(action="honorcard.application.rejected", actor=authority_clerk).exists()


def test_approval_checks_the_rules_again(eligible, supervisor_a, authority_clerk, unit_a):
    application = apply(supervisor_a, eligible, unit_a)
    eligible.services.update(misuse_note="紀錄冊借予他人使用")
    with pytest.raises(services.HonorCardError) as error:
        services.approve_card_application(actor=authority_clerk, application=application, today=TODAY)
    assert "時數不足 0/300" in error.value.message


# ------------------------------------------------------------------------------------------ awards

BADGE = Rule.Scheme.HEALTH_BADGE
MEDAL = Rule.Scheme.VOLUNTEER_MEDAL


@pytest.fixture
def badge_ready(build, volunteer):
    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 2100)
    return volunteer


def test_an_award_application_goes_unit_to_authority_and_creates_the_award(badge_ready, supervisor_a, authority_clerk,
                                                                           unit_a):
    application = services.apply_for_award(actor=supervisor_a, volunteer=badge_ready, unit=unit_a, scheme=BADGE,
                                           today=TODAY)
    assert application.rule.level_label == "銀質" and application.authority.code == "TXG-SOC"
    award = services.approve_award_application(actor=authority_clerk, application=application,
                                               certificate_number="衛部救字第1140001號", today=TODAY)
    assert (award.kind, award.level, award.name) == (Award.Kind.HEALTH_WELFARE, "銀質", "衛生福利志願服務銀質徽章")
    assert (award.awarded_on, award.granted_by, award.certificate_number) == (TODAY, "臺中市政府社會局",
                                                                              "衛部救字第1140001號")
    application.refresh_from_db()
    assert application.status == AwardApplication.Status.APPROVED and application.award == award
    assert AuditEntry.objects.filter(action="records.award.created", object_id=str(award.pk)).exists()
    with pytest.raises(services.HonorCardError) as error:  # silver is held now; gold needs 2,500 h
        services.apply_for_award(actor=supervisor_a, volunteer=badge_ready, unit=unit_a, scheme=BADGE, today=TODAY)
    assert "時數不足 2100/2500" in error.value.message


def test_a_level_awarded_meanwhile_cannot_be_approved_twice(badge_ready, build, supervisor_a, authority_clerk, unit_a):
    application = services.apply_for_award(actor=supervisor_a, volunteer=badge_ready, unit=unit_a, scheme=BADGE,
                                           today=TODAY)
    build.award(Award.Kind.HEALTH_WELFARE, "金質")
    with pytest.raises(services.HonorCardError) as error:
        services.approve_award_application(actor=authority_clerk, application=application, today=TODAY)
    assert error.value.code == "held"
    assert Award.objects.count() == 1


def test_medals_are_reviewed_by_the_sector_authority_when_the_unit_has_one(build, volunteer, supervisor_a, unit_a,
                                                                            authority_clerk):
    sector = Authority.objects.create(code="TXG-EDU", name="臺中市政府教育局", kind=Authority.Kind.SECTOR)
    Unit.objects.filter(pk=unit_a.pk).update(sector_authority=sector)
    unit_a.refresh_from_db()
    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 3100)
    application = services.apply_for_award(actor=supervisor_a, volunteer=volunteer, unit=unit_a, scheme=MEDAL,
                                           today=TODAY)
    assert application.authority == sector and application.rule.level_label == "銅牌"
    with pytest.raises(PermissionDenied):
        services.approve_award_application(actor=authority_clerk, application=application, today=TODAY)
    sector_clerk = make_person("A900000016", "教育局承辦")
    StaffRole.objects.create(user=sector_clerk, role=StaffRole.Role.AUTHORITY_STAFF, authority=sector)
    award = services.approve_award_application(actor=sector_clerk, application=application, today=TODAY)
    assert award.granted_by == "臺中市政府教育局"


def test_an_award_application_can_be_cancelled_by_its_unit(badge_ready, supervisor_a, unit_a):
    application = services.apply_for_award(actor=supervisor_a, volunteer=badge_ready, unit=unit_a, scheme=BADGE,
                                           today=TODAY)
    services.cancel_application(actor=supervisor_a, application=application)
    assert AuditEntry.objects.filter(action="honorcard.award_application.cancelled").exists()


def test_an_issued_card_and_a_returned_application_are_each_one_notification_and_mail(
        eligible, supervisor_a, authority_clerk, unit_a):
    from volnet.notifications.tests.told import told_once

    application = apply(supervisor_a, eligible, unit_a)
    services.reject_application(actor=authority_clerk, application=application, note="服務時數證明不全")
    note, mails = told_once(eligible, "card_returned")
    assert "服務時數證明不全" in note.text and len(mails) == (1 if eligible.email else 0)
    card = services.approve_card_application(actor=authority_clerk, application=apply(supervisor_a, eligible, unit_a),
                                             today=dt.date(2025, 1, 20))
    note, mails = told_once(eligible, "card_issued")
    assert "117/01/20" in note.text and len(mails) == (1 if eligible.email else 0)
    assert card.valid_to == dt.date(2028, 1, 20)
