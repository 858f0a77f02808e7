"""Joining a unit by consent (domain.md §9.12): the unit asks, the person answers; what the unit enters
meanwhile waits for the answer and counts only once it is yes. Every sign-in action of a unit is told to
the person, in 登入訊息 and by mail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import make_person
from volnet.accounts import services as account_services
from volnet.accounts.models import SignInEvent, User
from volnet.audit.models import AuditEntry
from volnet.eligibility import engine
from volnet.people import services as people
from volnet.people.services import PeopleError
from volnet.recordbook import queries as book_queries
from volnet.records import queries
from volnet.records import services as records
from volnet.records.models import Consent, ServiceRecord, TrainingRecord
from volnet.units.models import Membership

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def asked(supervisor_a, unit_a, other_volunteer):
    """Unit A asked 陳大同 (who serves in unit B) to join."""
    return people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)


def hours_of(supervisor, unit, person, hours="3"):
    return records.add_service(actor=supervisor, unit=unit, volunteer=person, service_item="綜合服務",
                               content="關懷訪視", start_date=DAY, hours=Decimal(hours))


def training_of(supervisor, unit, person):
    return records.add_training(actor=supervisor, unit=unit, volunteer=person, kind=TrainingRecord.Kind.BASIC,
                                course="基礎訓練", organiser="臺中市志願服務推廣中心", start_date=DAY, minutes=360)


def test_the_person_is_mailed_a_request_with_a_link_to_answer_it(supervisor_a, unit_a, volunteer, mailbox):
    person = make_person("A123456789", "王小明", email="ming@example.tw")
    people.request_membership(actor=supervisor_a, unit=unit_a, person=person)
    [message] = mailbox.wait_for(1, to="ming@example.tw")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "2-299臺中市樂樂發展協會-樂樂志工隊(測試用) 的 何小倫" in body and "/me/units/" in body
    assert "邀請您加入" in message["Subject"]


def test_an_unverified_sign_up_is_not_mailed_and_the_unit_is_told_what_it_is(supervisor_a, unit_a, mailbox):
    squatted = make_person("A123456789", "王小明", email="someone@example.net", signup_pending=True)
    assert squatted.is_unverified_sign_up
    people.request_membership(actor=supervisor_a, unit=unit_a, person=squatted)
    assert mailbox.wait_for(1, timeout=0.5) == []
    squatted.last_login = timezone.now()
    assert not squatted.is_unverified_sign_up


def test_the_unit_may_enter_hours_and_training_meanwhile_but_nothing_else(supervisor_a, unit_a, other_volunteer,
                                                                            asked):
    service = hours_of(supervisor_a, unit_a, other_volunteer)
    training = training_of(supervisor_a, unit_a, other_volunteer)
    assert (service.consent, training.consent) == (Consent.AWAITING, Consent.AWAITING)
    # the unit's own audit log names the person masked
    entry = AuditEntry.objects.get(action="records.service.created")
    assert entry.changes["志工"] == ["", "陳○同（F13579****）"]
    with pytest.raises(records.RecordError) as error:
        records.add_other_item(actor=supervisor_a, unit=unit_a, volunteer=other_volunteer, title="小隊長",
                               start_date=DAY)
    assert "尚未同意加入本單位" in error.value.message


def test_waiting_entries_count_toward_nothing_until_the_person_accepts(supervisor_a, unit_a, other_volunteer,
                                                                       asked):
    hours_of(supervisor_a, unit_a, other_volunteer, "5")
    training_of(supervisor_a, unit_a, other_volunteer)
    today = dt.date(2026, 12, 1)

    def counted():
        summary = queries.hours_summary(other_volunteer, today=today)
        facts = engine.gather([other_volunteer.pk], today)[other_volunteer.pk]
        book = book_queries.tab("service").queryset(other_volunteer, book_queries.Filters())
        return (summary.total_hours, summary.records, queries.training_totals(other_volunteer)[2],
                sum(total for rows in facts.hours.values() for _day, total in rows), len(facts.basic),
                book.count())

    assert counted() == (Decimal("0"), 1, 0, 0, 0, 0)  # listed (1 record), counted nowhere
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=True)
    assert counted() == (Decimal("5"), 1, 360, Decimal("5"), 1, 1)


def test_accepting_makes_an_ordinary_membership_and_is_audited_for_the_unit(other_volunteer, unit_a, asked):
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=True)
    asked.refresh_from_db()
    assert asked.status == Membership.Status.ACTIVE and asked.answered_at is not None
    entry = AuditEntry.objects.get(action="portal.membership.accepted")
    assert (entry.actor, entry.unit, entry.changes) == (other_volunteer, unit_a, {"狀態": ["待志工同意", "服務中"]})


def test_declining_ends_it_and_the_entries_stay_marked_for_the_unit_to_correct(supervisor_a, unit_a, volunteer,
                                                                              other_volunteer, asked):
    service = hours_of(supervisor_a, unit_a, other_volunteer)
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=False)
    asked.refresh_from_db()
    service.refresh_from_db()
    assert asked.status == Membership.Status.DECLINED
    assert service.consent == Consent.DECLINED and not service.counts_toward_hours
    with pytest.raises(records.RecordError) as error:  # nothing more for someone who said no
        hours_of(supervisor_a, unit_a, other_volunteer)
    assert "未同意加入本單位" in error.value.message
    # the entry was meant for someone else: moved to the right volunteer, it counts as theirs
    moved = records.update_service(service, actor=supervisor_a, volunteer=volunteer)
    assert (moved.volunteer, moved.consent) == (volunteer, Consent.GIVEN)


def test_a_declined_entry_may_be_withdrawn(supervisor_a, unit_a, other_volunteer, asked):
    service = hours_of(supervisor_a, unit_a, other_volunteer)
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=False)
    records.delete_service(service, actor=supervisor_a, reason="登錄錯誤")
    assert not ServiceRecord.objects.filter(pk=service.pk).exists()


def test_after_a_no_the_unit_waits_before_asking_again(supervisor_a, unit_a, other_volunteer, asked):
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=False)
    with pytest.raises(PeopleError) as error:
        people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)
    assert error.value.code == "declined_recently"
    Membership.objects.filter(pk=asked.pk).update(answered_at=timezone.now() - dt.timedelta(days=31))
    again = people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)
    assert again.status == Membership.Status.PENDING


def test_only_the_person_asked_may_answer_and_only_once(volunteer, other_volunteer, asked):
    with pytest.raises(PeopleError) as error:
        people.answer_request(person=volunteer, membership_id=asked.pk, accept=True)
    assert error.value.code == "not_found"
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=True)
    with pytest.raises(PeopleError):
        people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=False)
    asked.refresh_from_db()
    assert asked.status == Membership.Status.ACTIVE


def test_a_person_the_unit_created_confirms_it_after_signing_in(supervisor_a, unit_a):
    person, membership, _password = people.create_volunteer(
        actor=supervisor_a, unit=unit_a, national_id="A123456789", name="王小明", birth_date=dt.date(1950, 2, 2))
    assert list(people.open_requests(person)) == [membership]  # shown once the person signs in
    people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=person)  # never signed in: allowed
    User.objects.filter(pk=person.pk).update(last_login=timezone.now())
    person.refresh_from_db()
    with pytest.raises(PeopleError) as error:
        people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=person)
    assert error.value.code == "signed_in"
    people.answer_request(person=person, membership_id=membership.pk, accept=True)
    assert people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=person)
    assert list(people.open_requests(person)) == []


def test_declining_the_unit_that_created_the_account_disowns_its_entries(supervisor_a, unit_a):
    person, membership, _password = people.create_volunteer(
        actor=supervisor_a, unit=unit_a, national_id="A123456789", name="王小明", birth_date=dt.date(1950, 2, 2))
    service = hours_of(supervisor_a, unit_a, person)
    assert service.consent == Consent.GIVEN
    people.answer_request(person=person, membership_id=membership.pk, accept=False)
    service.refresh_from_db()
    assert service.consent == Consent.DECLINED


def test_applying_to_a_posting_of_the_unit_answers_its_request(supervisor_a, unit_a, other_volunteer, asked):
    from volnet.recruitment import services as recruitment
    from volnet.recruitment.models import Application, Posting

    hours_of(supervisor_a, unit_a, other_volunteer)
    posting = Posting.objects.create(unit=unit_a, title="電話問安", service_item="老人服務", place="臺中",
                                     start_date=DAY, end_date=DAY, quota=3, created_by=supervisor_a)
    application = Application.objects.create(posting=posting, volunteer=other_volunteer)
    _application, membership, _joined = recruitment.accept(application, supervisor_a)
    asked.refresh_from_db()
    assert membership.pk == asked.pk and asked.status == Membership.Status.ACTIVE
    assert ServiceRecord.objects.get(volunteer=other_volunteer).consent == Consent.GIVEN


# --- every sign-in action of a unit is told to the person ------------------------------------------------


def notices(person):
    return [(e.result, e.by_unit_notice) for e in SignInEvent.objects.filter(user=person).order_by("at", "pk")]


UNIT_A = "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"


def test_a_temporary_password_is_told_in_sign_in_messages_and_by_mail(supervisor_a, unit_a, volunteer, mailbox):
    people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=volunteer)
    assert notices(volunteer) == [("unit_temp_password", f"{UNIT_A} 的 何小倫 為您設定了臨時密碼")]
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert f"{UNIT_A} 的 何小倫 為您設定了臨時密碼" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_changed_email_is_told_at_the_old_address(supervisor_a, unit_a, volunteer, mailbox):
    people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer, email="new@example.tw",
                          phone="0911-222-333")
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "修改了您的電子信箱" in body and "修改了您的電話" in body
    assert mailbox.wait_for(1, timeout=0.5, to="new@example.tw") == []
    assert [result for result, _ in notices(volunteer)] == ["unit_email", "unit_phone"]


def test_other_contact_changes_are_not_sign_in_news(supervisor_a, unit_a, volunteer, mailbox):
    people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer, address="臺中市北區")
    assert notices(volunteer) == []
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_a_reset_link_says_which_unit_sent_it(supervisor_a, unit_a, volunteer, mailbox):
    people.send_reset_link(actor=supervisor_a, unit=unit_a, person=volunteer)
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert f"{UNIT_A} 的 何小倫" in message.get_body(preferencelist=("plain",)).get_content()
    assert notices(volunteer) == [("unit_reset_link", f"{UNIT_A} 的 何小倫 寄給您重設密碼的連結")]


def test_unit_actions_are_not_counted_as_failed_sign_ins(rf, supervisor_a, unit_a, volunteer):
    people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=volunteer)
    request = rf.post("/accounts/login/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    report = account_services.complete_sign_in(request, volunteer)
    assert report.failures == 0 and account_services.failure_notice(report) == ""


def test_the_person_reads_it_in_sign_in_messages(client, supervisor_a, unit_a, volunteer):
    people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer, phone="0911-222-333")
    client.force_login(volunteer)
    page = client.get("/accounts/sign-ins/").content.decode()
    assert f"{UNIT_A} 的 何小倫 修改了您的電話" in page


def test_a_join_request_is_one_notification_and_one_mail(supervisor_a, unit_a, mailbox):
    from volnet.notifications.tests.told import told_once

    person = make_person("A123456789", "王小明", email="ming@example.tw")
    people.request_membership(actor=supervisor_a, unit=unit_a, person=person)
    note, [mail] = told_once(person, "join_request")
    assert "邀請您加入" in note.text and mail.to == "ming@example.tw" and mail.template == "people/mail/join_request"
    assert len(mailbox.wait_for(2, timeout=0.5, to="ming@example.tw")) == 1


def test_a_staff_change_of_email_is_one_security_notification_mailed_even_if_mail_is_off(supervisor_a, unit_a,
                                                                                       volunteer, mailbox):
    from volnet.notifications.services import set_mail_preferences
    from volnet.notifications.tests.told import told_once

    set_mail_preferences(volunteer, [])
    people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer, email="new@example.tw")
    note, [mail] = told_once(volunteer, "account_changed")
    assert "何小倫" in note.text and mail.to == "bear@example.tw"
    assert len(mailbox.wait_for(2, timeout=0.5, to="bear@example.tw")) == 1
