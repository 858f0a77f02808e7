"""Recruitment rules: apply once, withdraw, accept → membership, decline, quota, tenancy, audit."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from volnet.audit.models import AuditEntry
from volnet.recruitment import services
from volnet.recruitment.models import Application
from volnet.recruitment.services import RecruitmentError
from volnet.units.models import Membership

Status = Application.Status


def test_a_volunteer_applies_once_with_a_message(posting, newcomer):
    application = services.apply(posting, newcomer, "  週末可以服務  ")
    assert (application.status, application.message) == (Status.PENDING, "週末可以服務")
    with pytest.raises(RecruitmentError) as error:
        services.apply(posting, newcomer)
    assert error.value.code == "already_applied"
    assert "請等候單位回覆" in error.value.message
    assert Application.objects.count() == 1


def test_the_database_keeps_one_application_per_posting_and_person(posting, newcomer):
    services.apply(posting, newcomer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(posting=posting, volunteer=newcomer)


def test_a_withdrawn_application_can_be_sent_again_on_the_same_row(posting, newcomer):
    first = services.apply(posting, newcomer, "第一次")
    services.withdraw(first, newcomer)
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    again = services.apply(posting, newcomer, "再試一次")
    assert again.pk == first.pk and again.status == Status.PENDING and again.message == "再試一次"


def test_only_a_pending_application_of_ones_own_can_be_withdrawn(posting, newcomer, volunteer, supervisor_a):
    application = services.apply(posting, newcomer)
    with pytest.raises(RecruitmentError) as error:
        services.withdraw(application, volunteer)
    assert error.value.code == "not_found"
    services.decline(application, supervisor_a)
    with pytest.raises(RecruitmentError) as error:
        services.withdraw(application, newcomer)
    assert error.value.code == "not_pending"


def test_unpublished_and_ended_postings_take_no_applications(posting_factory, newcomer):
    hidden = posting_factory(title="未公開", is_published=False)
    ended = posting_factory(title="已截止", ends_in_days=-1)
    for posting in (hidden, ended):
        with pytest.raises(RecruitmentError) as error:
            services.apply(posting, newcomer)
        assert error.value.code == "closed"
    assert not Application.objects.exists()


def test_accepting_makes_the_volunteer_an_active_member_and_is_audited(posting, newcomer, supervisor_a, unit_a):
    application = services.apply(posting, newcomer)
    accepted, membership, joined = services.accept(application, supervisor_a)
    assert accepted.status == Status.ACCEPTED and accepted.decided_by == supervisor_a
    assert joined and membership.unit == unit_a and membership.status == Membership.Status.ACTIVE
    entry = AuditEntry.objects.get(action="recruitment.application.accepted")
    assert (entry.actor, entry.volunteer, entry.unit) == (supervisor_a, newcomer, unit_a)
    assert entry.changes["membership"] == "created"


def test_accepting_a_current_member_adds_no_second_membership(posting, volunteer, supervisor_a, unit_a):
    application = services.apply(posting, volunteer)
    _, membership, joined = services.accept(application, supervisor_a)
    assert not joined
    assert Membership.objects.filter(volunteer=volunteer, unit=unit_a).count() == 1


def test_accepting_someone_who_left_starts_a_new_membership(posting, volunteer, supervisor_a, unit_a):
    Membership.objects.filter(volunteer=volunteer).update(status=Membership.Status.ENDED, left_on="2025-01-01")
    _, membership, joined = services.accept(services.apply(posting, volunteer), supervisor_a)
    assert joined
    assert Membership.objects.filter(volunteer=volunteer, unit=unit_a).count() == 2
    assert Membership.objects.get(volunteer=volunteer, unit=unit_a, status="active") == membership


def test_declining_keeps_the_person_out_and_prevents_a_second_try(posting, newcomer, supervisor_a, unit_a):
    application = services.apply(posting, newcomer)
    services.decline(application, supervisor_a)
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert not Membership.objects.filter(volunteer=newcomer).exists()
    assert AuditEntry.objects.filter(action="recruitment.application.declined", volunteer=newcomer).exists()
    with pytest.raises(RecruitmentError, match="未錄取"):
        services.apply(posting, newcomer)


def test_a_decided_application_cannot_be_decided_again(posting, newcomer, supervisor_a):
    application = services.apply(posting, newcomer)
    services.accept(application, supervisor_a)
    with pytest.raises(RecruitmentError) as error:
        services.decline(application, supervisor_a)
    assert error.value.code == "not_pending"


def test_a_full_quota_stops_accepting_and_applying_with_a_clear_message(posting_factory, newcomer, volunteer,
                                                                        other_volunteer, supervisor_a):
    posting = posting_factory(quota=1)
    first = services.apply(posting, newcomer)
    second = services.apply(posting, volunteer)
    services.accept(first, supervisor_a)
    with pytest.raises(RecruitmentError) as error:
        services.accept(second, supervisor_a)
    assert error.value.code == "full"
    assert "招募名額 1 人已滿" in error.value.message
    second.refresh_from_db()
    assert second.status == Status.PENDING
    with pytest.raises(RecruitmentError, match="名額已滿"):
        services.apply(posting, other_volunteer)


def test_staff_of_another_unit_cannot_decide(posting, newcomer, supervisor_b, volunteer):
    application = services.apply(posting, newcomer)
    for outsider in (supervisor_b, volunteer):
        with pytest.raises(RecruitmentError) as error:
            services.accept(application, outsider)
        assert error.value.code == "forbidden"
        with pytest.raises(RecruitmentError):
            services.decline(application, outsider)
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert not Membership.objects.filter(volunteer=newcomer).exists()


def test_the_public_list_shows_published_current_postings_of_active_units(posting_factory, unit_b):
    shown = posting_factory(title="招募中")
    posting_factory(title="未公開", is_published=False)
    posting_factory(title="已截止", ends_in_days=-1)
    unit_b.is_active = False
    unit_b.save()
    posting_factory(title="停止運作的單位", unit=unit_b)
    assert list(services.public_postings()) == [shown]
    for posting in type(shown).objects.all():  # the posting's own page says the same: apply, or closed
        assert services.is_open(posting) == (posting == shown)


def test_a_posting_is_open_through_its_last_day(posting_factory):
    posting = posting_factory(ends_in_days=0)
    last_day = posting.end_date
    assert services.is_open(posting, last_day) and list(services.public_postings(last_day)) == [posting]
    next_day = last_day + dt.timedelta(days=1)
    assert not services.is_open(posting, next_day) and list(services.public_postings(next_day)) == []


def test_counts_tell_accepted_pending_and_places_left(posting, newcomer, volunteer, supervisor_a):
    services.accept(services.apply(posting, newcomer), supervisor_a)
    services.apply(posting, volunteer)
    counted = services.with_counts(type(posting).objects.filter(pk=posting.pk)).get()
    assert (counted.accepted_count, counted.pending_count, counted.places_left) == (1, 1, posting.quota - 1)
