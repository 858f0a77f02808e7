"""§7 plans and results reports (issue 13, items 2 and 7): the figures come from the records, the unit files,
the authority accepts or returns; filing twice or after acceptance is refused; who is late, and a reminder."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.records.models import Award, InsuranceCoverage, InsurancePolicy, TrainingRecord
from volnet.reports import queries, services
from volnet.reports.models import ResultsReport, ServicePlan
from volnet.units.models import Authority, Membership, StaffRole, Unit

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def year_of_records(volunteer, unit_a, supervisor_a, service_record):
    """測試熊 in unit A in 2025: 5.5 hours in two items, a basic training, insurance and an award; plus hours
    that do not count (another year, a pending self-report, another unit's)."""
    service_record(hours="3.5", start=dt.date(2025, 3, 1), item="綜合服務")
    service_record(hours="2", start=dt.date(2025, 7, 1), item="老人服務")
    service_record(hours="9", start=dt.date(2024, 12, 31))
    service_record(hours="4", start=dt.date(2025, 8, 1), status="pending", self_reported=True)
    TrainingRecord.objects.create(volunteer=volunteer, unit=unit_a, registrant=supervisor_a, kind="basic",
                                  course="基礎訓練", organiser="社會局", start_date=dt.date(2025, 2, 1), minutes=720)
    policy = InsurancePolicy.objects.create(unit=unit_a, insurer="某產險", policy_number="P1",
                                            start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    InsuranceCoverage.objects.create(policy=policy, volunteer=volunteer)
    Award.objects.create(volunteer=volunteer, unit=unit_a, registrant=supervisor_a, kind="other", name="績優志工",
                         awarded_on=dt.date(2025, 12, 1), granted_by="協會")


def test_the_figures_are_the_records_own(year_of_records, unit_a):
    figures = queries.figures([unit_a.pk], YEAR)
    assert figures["volunteers"] == 1 and figures["hours"] == "5.5" and figures["service_records"] == 2
    assert figures["hours_by_item"] == [{"item": "綜合服務", "hours": "3.5", "records": 1},
                                        {"item": "老人服務", "hours": "2.0", "records": 1}]
    assert figures["training_by_kind"] == [{"kind": "basic", "records": 1, "people": 1, "minutes": 720}]
    assert (figures["with_basic_training"], figures["insured"]) == (1, 1)
    assert figures["awards_by_kind"] == [{"kind": "other", "count": 1}]


def test_a_volunteer_who_left_before_the_year_is_not_counted(unit_a):
    gone = make_person("M123456789", "已離隊")
    Membership.objects.create(volunteer=gone, unit=unit_a, joined_on=dt.date(2020, 1, 1), left_on=dt.date(2024, 6, 1),
                              status="ended")
    assert queries.figures([unit_a.pk], YEAR)["volunteers"] == 0


def test_the_unit_files_its_report_after_checking_the_figures(client, year_of_records, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("reports:report"), {"year": "114"}).content.decode()
    assert "5.5" in page and "老人服務" in page
    response = client.post(reverse("reports:report"), {"unit": unit_a.pk, "year": "114",
                                                       "explanation": "年底另有 20 小時尚未登錄。"})
    assert response.status_code == 302
    report = ResultsReport.objects.get(unit=unit_a, year=YEAR)
    assert report.status == "filed" and report.figures["hours"] == "5.5"
    assert report.explanation == "年底另有 20 小時尚未登錄。"
    assert AuditEntry.objects.filter(action="reports.report.filed", unit=unit_a).exists()


def test_filing_twice_or_after_acceptance_is_refused(year_of_records, supervisor_a, authority_clerk, unit_a):
    report = services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    with pytest.raises(services.ReportError) as twice:
        services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    assert twice.value.code == "filed_twice"
    services.review_report(actor=authority_clerk, report_id=report.pk, accept=True)
    with pytest.raises(services.ReportError) as after:
        services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    assert after.value.code == "accepted"
    assert ResultsReport.objects.get(pk=report.pk).times_filed == 1


def test_a_returned_report_is_filed_again_with_fresh_figures(year_of_records, supervisor_a, authority_clerk, unit_a,
                                                            service_record):
    report = services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    with pytest.raises(services.ReportError) as no_reason:
        services.review_report(actor=authority_clerk, report_id=report.pk, accept=False, reason=" ")
    assert no_reason.value.field == "reason"
    services.review_report(actor=authority_clerk, report_id=report.pk, accept=False, reason="請補登十二月時數")
    service_record(hours="20", start=dt.date(2025, 12, 20))
    again = services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    assert (again.status, again.times_filed, again.figures["hours"]) == ("filed", 2, "25.5")


def test_the_year_must_be_over(supervisor_a, unit_a):
    with pytest.raises(services.ReportError) as early:
        services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR, today=dt.date(2025, 12, 31))
    assert early.value.code == "year_not_over"


def test_an_authority_never_files_for_a_unit(authority_clerk, unit_a):
    with pytest.raises(services.ReportError):
        services.file_report(actor=authority_clerk, unit=unit_a, year=YEAR)


def test_the_plan_is_filed_once(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    data = {"unit": unit_a.pk, "year": "115", "recruitment": "招募 20 人", "training": "基礎與特殊訓練",
            "management": "每季督導會議", "service_items": "老人服務", "period_start": "115/01/01",
            "period_end": "115/12/31"}
    assert client.post(reverse("reports:plan"), data).status_code == 302
    assert ServicePlan.objects.get(unit=unit_a, year=2026).period_end == dt.date(2026, 12, 31)
    with pytest.raises(services.ReportError):
        services.file_plan(actor=supervisor_a, unit=unit_a, year=2026, recruitment="x", training="x",
                           management="x", service_items="x", period_start=dt.date(2026, 1, 1),
                           period_end=dt.date(2026, 12, 31))


def test_a_plan_ending_before_it_starts_keeps_what_was_typed(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("reports:plan"), {
        "unit": unit_a.pk, "year": "115", "recruitment": "招募 20 人", "training": "t", "management": "m",
        "service_items": "s", "period_start": "115/12/31", "period_end": "115/01/01"})
    page = response.content.decode()
    assert response.status_code == 200 and "計畫迄日不可早於起日" in page and "招募 20 人" in page
    assert not ServicePlan.objects.exists()


def test_an_impossible_year_is_a_clear_message(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("reports:report"), {"year": "99999"})
    assert response.status_code == 200 and "沒有 99999 這個年度" in response.content.decode()
    posted = client.post(reverse("reports:report"), {"unit": unit_a.pk, "year": "abc"})
    assert posted.status_code == 404 and not ResultsReport.objects.exists()


# --- tenancy --------------------------------------------------------------------------------------------------


def test_a_unit_never_sees_another_units_report(client, year_of_records, supervisor_a, supervisor_b, unit_a):
    report = services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR, explanation="只給主管機關看")
    client.force_login(supervisor_b)
    assert client.get(reverse("reports:report"), {"year": "114", "unit": unit_a.pk}).status_code == 404
    assert client.get(reverse("reports:review", args=[report.pk])).status_code == 403
    assert "只給主管機關看" not in client.get(reverse("reports:report"), {"year": "114"}).content.decode()


def test_an_authority_sees_only_its_area_and_the_central_authority_sees_all(
        client, year_of_records, supervisor_a, authority_clerk, other_authority, unit_a):
    mine = services.file_report(actor=supervisor_a, unit=unit_a, year=YEAR)
    elsewhere_unit = Unit.objects.create(code="9-001", name="臺北某志工隊", authority=other_authority)
    elsewhere = ResultsReport.objects.create(unit=elsewhere_unit, year=YEAR, figures=queries.figures([], YEAR))
    client.force_login(authority_clerk)
    listing = client.get(reverse("reports:review_list"), {"year": "114"}).content.decode()
    assert unit_a.label in listing and "臺北某志工隊" not in listing
    assert client.get(reverse("reports:review", args=[elsewhere.pk])).status_code == 404
    with pytest.raises(services.ReportError):
        services.review_report(actor=authority_clerk, report_id=elsewhere.pk, accept=True)

    central = Authority.objects.create(code="MOHW", name="衛生福利部", level=Authority.Level.CENTRAL)
    minister = make_person("A123456789", "部內承辦")
    StaffRole.objects.create(user=minister, role="authority_staff", authority=central)
    client.force_login(minister)
    listing = client.get(reverse("reports:review_list"), {"year": "114"}).content.decode()
    assert unit_a.label in listing and "臺北某志工隊" in listing
    assert client.get(reverse("reports:review", args=[mine.pk])).status_code == 200
    with pytest.raises(services.ReportError):  # it reads every report; the local authority reviews
        services.review_report(actor=minister, report_id=mine.pk, accept=True)


# --- late, and the reminder -------------------------------------------------------------------------------------


def test_the_late_list_and_the_reminder(client, authority_clerk, supervisor_a, supervisor_b, unit_a, unit_b, mailbox):
    unit_b.email = "team-b@example.tw"
    unit_b.save()
    ResultsReport.objects.create(unit=unit_a, year=YEAR, figures=queries.figures([unit_a.pk], YEAR))
    rows = services.overview(Unit.objects.all(), YEAR, today=dt.date(2026, 3, 2))
    assert [(row["unit"].code, row["late"]) for row in rows] == [("1-187", True), ("2-299", False)]
    assert not any(row["late"] for row in services.overview(Unit.objects.all(), YEAR, today=dt.date(2026, 2, 28)))

    client.force_login(authority_clerk)
    response = client.post(reverse("reports:remind"), {"unit": unit_b.pk, "year": "114"})
    assert response.status_code == 302
    messages = mailbox.wait_for(2)
    assert {m["To"] for m in messages} == {"team-b@example.tw", supervisor_b.email}
    assert "114" in messages[0]["Subject"]
    assert AuditEntry.objects.filter(action="reports.reminder.sent", unit=unit_b).exists()


def test_a_unit_cannot_send_reminders(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    assert client.post(reverse("reports:remind"), {"unit": unit_a.pk, "year": "114"}).status_code == 403


def test_hours_that_do_not_count_are_not_reported(unit_a, volunteer, supervisor_a, service_record):
    service_record(hours="7", start=dt.date(2025, 5, 1), misuse_note="重複登錄")
    assert queries.figures([unit_a.pk], YEAR)["hours"] == "0.0"
    assert Decimal(queries.figures([unit_a.pk], YEAR)["hours"]) == 0
