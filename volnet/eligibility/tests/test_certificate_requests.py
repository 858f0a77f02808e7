"""The 績效證明書 asked for online and reviewed by the unit's 承辦人 → 志工督導 → 負責人 (domain.md §3.5): one
state machine, rule by rule."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import all_at_once, make_person
from volnet.audit.models import AuditEntry
from volnet.eligibility import certificate_requests as flow
from volnet.eligibility.certificates import CertificateError, cancel_certificate, issue_certificate
from volnet.eligibility.models import CertificateRequest, CertificateReview
from volnet.eligibility.tests.test_certificates import TODAY, build, eligible  # noqa: F401
from volnet.notifications.models import Kind, Notification
from volnet.records.models import PerformanceCertificate
from volnet.units.models import Membership, StaffRole

Status = CertificateRequest.Status


def _role(person, role, unit):
    StaffRole.objects.create(user=person, role=role, unit=unit)
    return person


@pytest.fixture
def clerk_a(unit_a):
    return _role(make_person("A123456789", "承辦小王"), StaffRole.Role.CLERK, unit_a)


@pytest.fixture
def head_a(unit_a):
    return _role(make_person("A223456781", "負責人陳"), StaffRole.Role.HEAD, unit_a)


@pytest.fixture
def clerk_b(unit_b):
    return _role(make_person("B123456708", "乙單位承辦"), StaffRole.Role.CLERK, unit_b)


@pytest.fixture
def asked(eligible, unit_a, clerk_a, supervisor_a, head_a):  # noqa: F811
    return flow.submit(eligible, unit_a, "study", today=TODAY)


def _through(req, *people):
    for person in people:
        req = flow.approve(person, req, req.status, today=TODAY)
    return req


def test_a_request_carries_the_rules_period_and_hours_and_a_7_day_deadline(asked):
    assert asked.status == Status.CLERK
    assert asked.period_start == dt.date(2021, 10, 3) and asked.period_end == dt.date(2026, 2, 28)
    assert asked.hours == Decimal("162.5") and asked.months == 52
    assert asked.due_on == TODAY + dt.timedelta(days=7)
    assert flow.days_left(asked, TODAY) == 7 and flow.days_left(asked, TODAY + dt.timedelta(days=9)) == -2


def test_three_approvals_in_order_issue_the_certificate_of_that_period(asked, clerk_a, supervisor_a, head_a):
    req = flow.approve(clerk_a, asked, "clerk", today=TODAY)
    assert req.status == Status.SUPERVISOR and not PerformanceCertificate.objects.exists()
    req = flow.approve(supervisor_a, req, "supervisor", today=TODAY)
    assert req.status == Status.HEAD and not PerformanceCertificate.objects.exists()
    req = flow.approve(head_a, req, "head", today=TODAY + dt.timedelta(days=3))
    req.refresh_from_db()
    certificate = req.certificate
    assert req.status == Status.ISSUED and certificate.number == "2-299-115-0001"
    assert certificate.hours == Decimal("162.5") and certificate.period_end == dt.date(2026, 2, 28)
    assert certificate.issued_on == TODAY + dt.timedelta(days=3) and certificate.head_name == "負責人陳"
    assert certificate.service_items == "綜合服務"
    assert [(r.step, r.reviewer) for r in req.reviews.all()] == [
        ("clerk", clerk_a), ("supervisor", supervisor_a), ("head", head_a)]


def test_the_period_asked_for_is_certified_even_when_issued_after_the_month_turns(eligible, unit_a, clerk_a,  # noqa: F811
                                                                                  supervisor_a, head_a):
    req = flow.submit(eligible, unit_a, "work", today=dt.date(2026, 3, 30))
    req = _through(req, clerk_a, supervisor_a)
    req = flow.approve(head_a, req, "head", today=dt.date(2026, 4, 2))
    assert req.certificate.period_end == dt.date(2026, 2, 28)


@pytest.mark.parametrize("who, code", [("supervisor_a", "not_yet"), ("head_a", "not_yet")])
def test_no_step_is_skipped(asked, who, code, request):
    with pytest.raises(CertificateError) as refused:
        flow.approve(request.getfixturevalue(who), asked, "clerk", today=TODAY)
    assert refused.value.code == code
    asked.refresh_from_db()
    assert asked.status == Status.CLERK and not CertificateReview.objects.exists()


def test_a_step_needs_its_own_role(asked, clerk_a, unit_a):
    admin = _role(make_person("A100000001", "單位管理員"), StaffRole.Role.UNIT_ADMIN, unit_a)
    with pytest.raises(CertificateError) as refused:
        flow.approve(admin, asked, "clerk", today=TODAY)
    assert refused.value.code == "wrong_role" and refused.value.message == "此關須由承辦人審核。"
    req = flow.approve(clerk_a, asked, "clerk", today=TODAY)
    with pytest.raises(CertificateError) as refused:  # the clerk, one step later
        flow.approve(clerk_a, req, "supervisor", today=TODAY)
    assert refused.value.code == "wrong_role"


@pytest.mark.parametrize("who", ["clerk_b", "supervisor_b", "authority_clerk"])
def test_staff_of_another_unit_or_the_authority_never_act(asked, who, request):
    with pytest.raises(CertificateError) as refused:
        flow.approve(request.getfixturevalue(who), asked, "clerk", today=TODAY)
    assert refused.value.code == "forbidden"
    with pytest.raises(CertificateError):
        flow.send_back(request.getfixturevalue(who), asked, "clerk", "不行")
    asked.refresh_from_db()
    assert asked.status == Status.CLERK


def test_a_step_is_acted_on_once(asked, clerk_a, supervisor_a):
    stale = CertificateRequest.objects.get(pk=asked.pk)
    flow.approve(clerk_a, asked, "clerk", today=TODAY)
    for attempt in (lambda: flow.approve(clerk_a, stale, "clerk", today=TODAY),
                    lambda: flow.send_back(clerk_a, stale, "clerk", "按錯了")):
        with pytest.raises(CertificateError) as refused:
            attempt()
        assert refused.value.code in ("moved_on", "wrong_role")
    assert CertificateReview.objects.count() == 1
    assert CertificateRequest.objects.get(pk=asked.pk).status == Status.SUPERVISOR


def test_a_page_showing_an_earlier_step_does_not_approve_the_next(asked, clerk_a, supervisor_a, unit_a):
    """The supervisor who is also a clerk double-clicks 同意 on the clerk step: the second click is refused."""
    StaffRole.objects.create(user=supervisor_a, role=StaffRole.Role.CLERK, unit=unit_a)
    flow.approve(supervisor_a, asked, "clerk", today=TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.approve(supervisor_a, asked, "clerk", today=TODAY)
    assert refused.value.code == "moved_on"
    assert CertificateRequest.objects.get(pk=asked.pk).status == Status.SUPERVISOR


def test_one_person_approves_one_step_only(asked, clerk_a, unit_a):
    StaffRole.objects.create(user=clerk_a, role=StaffRole.Role.SUPERVISOR, unit=unit_a)
    req = flow.approve(clerk_a, asked, "clerk", today=TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.approve(clerk_a, req, "supervisor", today=TODAY)
    assert refused.value.code == "same_reviewer"


def test_nobody_reviews_their_own_request(build, unit_a, clerk_a):  # noqa: F811
    Membership.objects.create(volunteer=clerk_a, unit=unit_a, joined_on=dt.date(2021, 5, 1))
    build.ready(dt.date(2021, 10, 3), volunteer=clerk_a)
    build.hours(dt.date(2022, 3, 1), 200, volunteer=clerk_a)
    req = flow.submit(clerk_a, unit_a, "award", today=TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.approve(clerk_a, req, "clerk", today=TODAY)
    assert refused.value.code == "own_request"


def test_a_return_needs_a_reason_closes_the_request_and_tells_the_volunteer(asked, clerk_a, supervisor_a, eligible):  # noqa: F811
    req = flow.approve(clerk_a, asked, "clerk", today=TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.send_back(supervisor_a, req, "supervisor", "  ")
    assert refused.value.code == "reason_required"
    req = flow.send_back(supervisor_a, req, "supervisor", "十二月時數尚未登錄")
    assert req.status == Status.RETURNED and req.return_reason == "十二月時數尚未登錄"
    note = Notification.objects.get(person=eligible, kind=Kind.CERTIFICATE_RETURNED)
    assert "十二月時數尚未登錄" in note.text and note.link == "/me/certificates/"
    with pytest.raises(CertificateError) as refused:
        flow.approve(supervisor_a, req, "supervisor", today=TODAY)
    assert refused.value.code == "closed"
    assert flow.submit(eligible, req.unit, "study", today=TODAY).status == Status.CLERK  # may ask again


def test_the_volunteer_withdraws_while_it_waits_and_nobody_acts_after(asked, eligible, clerk_a, other_volunteer):  # noqa: F811
    with pytest.raises(CertificateError) as refused:
        flow.withdraw(other_volunteer, asked)
    assert refused.value.code == "forbidden"
    stale = CertificateRequest.objects.get(pk=asked.pk)
    flow.withdraw(eligible, asked)
    entry = AuditEntry.objects.get(action="eligibility.certificate_request.withdrawn")
    assert (entry.actor, entry.changes) == (eligible, {"step": "clerk"})
    with pytest.raises(CertificateError) as refused:
        flow.approve(clerk_a, stale, "clerk", today=TODAY)
    assert refused.value.code == "closed" and "已撤回" in refused.value.message
    with pytest.raises(CertificateError) as refused:
        flow.withdraw(eligible, stale)
    assert refused.value.code == "closed"


def test_an_issued_request_cannot_be_withdrawn(asked, eligible, clerk_a, supervisor_a, head_a):  # noqa: F811
    req = _through(asked, clerk_a, supervisor_a, head_a)
    with pytest.raises(CertificateError) as refused:
        flow.withdraw(eligible, req)
    assert refused.value.code == "closed"


def test_asking_is_refused_when_short_twice_or_already_certified(build, volunteer, unit_a, unit_b, supervisor_a):  # noqa: F811
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 100)
    with pytest.raises(CertificateError) as refused:
        flow.submit(volunteer, unit_a, "study", today=TODAY)
    assert refused.value.code == "not_eligible" and "時數不足 100/150" in refused.value.message
    with pytest.raises(CertificateError) as refused:
        flow.submit(volunteer, unit_b, "study", today=TODAY)
    assert refused.value.code == "not_member"
    build.hours(dt.date(2022, 4, 1), 60)
    with pytest.raises(CertificateError) as refused:
        flow.submit(volunteer, unit_a, "other", "  ", today=TODAY)
    assert refused.value.code == "purpose_note"
    flow.submit(volunteer, unit_a, "study", today=TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.submit(volunteer, unit_a, "work", today=TODAY)
    assert refused.value.code == "waiting"
    CertificateRequest.objects.update(status=Status.WITHDRAWN)
    certificate = issue_certificate(supervisor_a, unit_a, volunteer, TODAY)
    with pytest.raises(CertificateError) as refused:
        flow.submit(volunteer, unit_a, "work", today=TODAY)
    assert refused.value.code == "already_issued" and certificate.number in refused.value.message
    cancel_certificate(certificate, supervisor_a, "時數有誤", on=TODAY)
    assert flow.submit(volunteer, unit_a, "work", today=TODAY).status == Status.CLERK


def test_each_step_is_audited_and_the_next_steps_staff_are_told(asked, clerk_a, supervisor_a, head_a, eligible):  # noqa: F811
    assert Notification.objects.filter(kind=Kind.CERTIFICATES_TO_REVIEW).values_list("person", flat=True).get() \
        == clerk_a.pk
    req = flow.approve(clerk_a, asked, "clerk", today=TODAY)
    assert Notification.objects.filter(kind=Kind.CERTIFICATES_TO_REVIEW, person=supervisor_a).exists()
    note = Notification.objects.get(kind=Kind.CERTIFICATES_TO_REVIEW, person=supervisor_a)
    assert "測試熊" in note.text and "115/03/17" in note.text
    req = _through(req, supervisor_a, head_a)
    issued = Notification.objects.get(person=eligible, kind=Kind.CERTIFICATE_ISSUED)
    assert req.certificate.number in issued.text
    actions = list(AuditEntry.objects.filter(unit=req.unit).order_by("id").values_list("action", "actor"))
    assert actions == [
        ("eligibility.certificate_request.submitted", eligible.pk),
        ("eligibility.certificate_request.approved", clerk_a.pk),
        ("eligibility.certificate_request.approved", supervisor_a.pk),
        ("records.certificate.issued", head_a.pk),
        ("eligibility.certificate_request.approved", head_a.pk),
    ]


def test_a_head_cannot_issue_what_the_records_no_longer_support(asked, clerk_a, supervisor_a, head_a):
    req = _through(asked, clerk_a, supervisor_a)
    from volnet.records.models import ServiceRecord

    ServiceRecord.objects.filter(hours=Decimal("150")).update(misuse_note="冒名服務")
    with pytest.raises(CertificateError) as refused:
        flow.approve(head_a, req, "head", today=TODAY)
    assert refused.value.code == "not_eligible"
    req.refresh_from_db()
    assert req.status == Status.HEAD and req.reviews.count() == 2 and not PerformanceCertificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_approve_once(eligible, unit_a, clerk_a, supervisor_a, head_a):  # noqa: F811
    req = _through(flow.submit(eligible, unit_a, "study", today=TODAY), clerk_a, supervisor_a)

    def click():
        try:
            flow.approve(head_a, CertificateRequest.objects.get(pk=req.pk), "head", today=TODAY)
        except CertificateError as error:
            return error.code
        return "ok"

    outcomes = sorted(all_at_once(click, 2))
    assert outcomes[1] == "ok" and outcomes[0] in ("closed", "moved_on")  # the second saw it issued or moving
    assert PerformanceCertificate.objects.count() == 1
    assert CertificateReview.objects.filter(step="head").count() == 1


def test_a_closed_unit_takes_no_request(eligible, unit_a):  # noqa: F811
    unit_a.status, unit_a.is_active, unit_a.closed_on = unit_a.Status.CLOSED, False, TODAY
    unit_a.save()
    with pytest.raises(CertificateError) as refused:
        flow.submit(eligible, unit_a, "study", today=TODAY)
    assert refused.value.code == "unit_closed" and not CertificateRequest.objects.exists()
