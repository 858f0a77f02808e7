"""志願服務績效證明書 issued by a unit (domain.md §3.5, rule 6): ≥ 1 year and ≥ 150 h in that unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from volnet.audit.models import AuditEntry
from volnet.eligibility.certificates import CertificateError, cancel_certificate, issue_certificate
from volnet.eligibility.tests.builders import Builder
from volnet.records.models import PerformanceCertificate
from volnet.units.models import Membership

TODAY = dt.date(2026, 3, 10)  # ROC 115; hours counted to 2026-02-28


@pytest.fixture
def build(volunteer, unit_a, supervisor_a, authority):
    return Builder(volunteer, unit_a, supervisor_a, authority)


@pytest.fixture
def eligible(build, volunteer):
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 150)
    build.hours(dt.date(2023, 5, 2), 12.5)
    return volunteer


def test_an_eligible_volunteer_gets_a_numbered_certificate_of_the_units_hours(eligible, unit_a, supervisor_a):
    certificate = issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    assert certificate.number == "2-299-115-0001"
    assert certificate.hours == Decimal("162.5")
    assert certificate.period_start == dt.date(2021, 10, 3) and certificate.period_end == dt.date(2026, 2, 28)
    assert certificate.months == 52
    assert certificate.issued_on == TODAY and certificate.issued_by == supervisor_a
    assert certificate.status == PerformanceCertificate.Status.ISSUED


def test_only_the_issuing_units_hours_are_certified(eligible, build, unit_a, unit_b, supervisor_a):
    Membership.objects.create(volunteer=eligible, unit=unit_b, joined_on=dt.date(2021, 5, 1))
    build.hours(dt.date(2022, 4, 1), 400, unit=unit_b)
    assert issue_certificate(supervisor_a, unit_a, eligible, TODAY).hours == Decimal("162.5")


def test_a_volunteer_short_of_hours_is_refused_with_the_reason_and_nothing_is_written(build, volunteer, unit_a,
                                                                                       supervisor_a):
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 100)
    with pytest.raises(CertificateError) as refused:
        issue_certificate(supervisor_a, unit_a, volunteer, TODAY)
    assert refused.value.code == "not_eligible"
    assert refused.value.message == ("測試熊 不符合臺中市樂樂發展協會-樂樂志工隊(測試用)開立績效證明書的資格："
                                     "時數不足 100/150。")
    assert not PerformanceCertificate.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="records.certificate").exists()


def test_staff_of_another_unit_cannot_issue_for_this_one(eligible, unit_a, supervisor_b):
    with pytest.raises(CertificateError) as refused:
        issue_certificate(supervisor_b, unit_a, eligible, TODAY)
    assert refused.value.code == "forbidden"
    assert not PerformanceCertificate.objects.exists()


def test_authority_staff_do_not_issue_for_a_unit(eligible, unit_a, authority_clerk):
    with pytest.raises(CertificateError) as refused:
        issue_certificate(authority_clerk, unit_a, eligible, TODAY)
    assert refused.value.code == "forbidden"


def test_the_same_period_is_certified_once(eligible, unit_a, supervisor_a):
    issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    with pytest.raises(CertificateError) as refused:
        issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    assert refused.value.code == "already_issued" and "2-299-115-0001" in refused.value.message
    assert PerformanceCertificate.objects.count() == 1


def test_numbers_run_per_unit_and_per_roc_year(eligible, build, unit_a, unit_b, supervisor_a, supervisor_b):
    second = build.volunteer.__class__.objects.create_user("A123456789", "x", name="王小明")
    Membership.objects.create(volunteer=second, unit=unit_a, joined_on=dt.date(2021, 5, 1))
    build.ready(dt.date(2021, 10, 3), volunteer=second)
    build.hours(dt.date(2022, 3, 1), 200, volunteer=second)
    Membership.objects.create(volunteer=eligible, unit=unit_b, joined_on=dt.date(2021, 5, 1))
    build.hours(dt.date(2022, 4, 1), 300, unit=unit_b)

    assert issue_certificate(supervisor_a, unit_a, eligible, TODAY).number == "2-299-115-0001"
    assert issue_certificate(supervisor_a, unit_a, second, TODAY).number == "2-299-115-0002"
    assert issue_certificate(supervisor_b, unit_b, eligible, TODAY).number == "1-187-115-0001"
    next_year = dt.date(2027, 1, 15)  # a new counting period (to 2026-12-31) and ROC 116
    assert issue_certificate(supervisor_a, unit_a, eligible, next_year).number == "2-299-116-0001"


def test_a_cancelled_certificate_keeps_its_row_and_number(eligible, unit_a, supervisor_a):
    certificate = issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    cancel_certificate(certificate, supervisor_a, "時數登錄錯誤", on=TODAY)
    certificate.refresh_from_db()
    assert certificate.status == PerformanceCertificate.Status.CANCELLED
    assert certificate.cancelled_on == TODAY and certificate.cancel_reason == "時數登錄錯誤"
    assert certificate.number == "2-299-115-0001"
    # The period may be certified again, with a new number; the old one is never reused.
    assert issue_certificate(supervisor_a, unit_a, eligible, TODAY).number == "2-299-115-0002"


def test_cancelling_needs_a_reason_and_the_units_own_staff(eligible, unit_a, supervisor_a, supervisor_b):
    certificate = issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    with pytest.raises(CertificateError) as refused:
        cancel_certificate(certificate, supervisor_a, "  ")
    assert refused.value.message == "請填寫註銷原因。"
    with pytest.raises(CertificateError) as refused:
        cancel_certificate(certificate, supervisor_b, "錯誤")
    assert refused.value.code == "forbidden"
    certificate.refresh_from_db()
    assert certificate.status == PerformanceCertificate.Status.ISSUED


def test_issuing_and_cancelling_are_audited(eligible, unit_a, supervisor_a):
    certificate = issue_certificate(supervisor_a, unit_a, eligible, TODAY)
    cancel_certificate(certificate, supervisor_a, "重複開立", on=TODAY)
    issued, cancelled = AuditEntry.objects.filter(action__startswith="records.certificate").order_by("id")
    assert (issued.action, issued.actor, issued.volunteer, issued.unit) == (
        "records.certificate.issued", supervisor_a, eligible, unit_a)
    assert issued.changes["number"] == "2-299-115-0001" and issued.changes["hours"] == "162.5"
    assert cancelled.action == "records.certificate.cancelled" and cancelled.changes["reason"] == "重複開立"


def test_the_database_refuses_zero_hours(volunteer, unit_a):
    with pytest.raises(IntegrityError):
        PerformanceCertificate.objects.create(
            volunteer=volunteer, unit=unit_a, number="X-1", roc_year=115, serial=1, issued_on=TODAY,
            hours=0, months=12, period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 1, 31))
