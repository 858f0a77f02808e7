"""§7 results reports due (beat): a unit whose report of last year is awaited is reminded once as the deadline
nears and once when it is late (its address by mail, its staff by 通知), however often the job runs."""

import datetime as dt

from volnet.mailer.models import Mail
from volnet.notifications.models import Notification
from volnet.notifications.tests.told import told_once
from volnet.reports import reminders
from volnet.reports.models import ResultsReport
from volnet.units.models import Unit

EARLY, NEAR, LATE = dt.date(2026, 1, 28), dt.date(2026, 2, 1), dt.date(2026, 3, 2)  # 2025's is due 2026-02-28


def _reports(unit_a, unit_b, supervisor_b):
    unit_a.email = "lele@example.tw"
    unit_a.save()
    ResultsReport.objects.create(unit=unit_b, year=2025, filed_by=supervisor_b)


def test_an_awaited_report_is_reminded_once_near_the_deadline_and_once_late(unit_a, unit_b, supervisor_a,
                                                                             supervisor_b, mailbox):
    _reports(unit_a, unit_b, supervisor_b)
    assert reminders.remind_reports_due(EARLY) == (0, 0)
    assert reminders.remind_reports_due(NEAR) == (1, 1)  # unit A's address, its supervisor; unit B filed
    assert reminders.remind_reports_due(NEAR + dt.timedelta(days=3)) == (0, 0)
    note, [mail] = told_once(supervisor_a, "reports_due")
    assert note.text == f"{unit_a.label}的 114 年度成果報告應於 115/02/28 前提出。"
    unit_mail = Mail.objects.get(to="lele@example.tw")
    assert "114 年度" in unit_mail.subject and "115/02/28" in unit_mail.text and unit_a.label in unit_mail.text
    assert f"/backoffice/reports/?unit={unit_a.pk}" in unit_mail.text
    messages = mailbox.wait_for(2)
    assert {message["To"] for message in messages} == {"lele@example.tw", supervisor_a.email}

    assert reminders.remind_reports_due(LATE) == (1, 1)
    assert reminders.remind_reports_due(LATE) == (0, 0)
    late = Notification.objects.get(person=supervisor_a, key__endswith=":late")
    assert "已逾期" in late.text and "請盡快提報" in late.text
    assert Mail.objects.filter(to="lele@example.tw").count() == 2
    assert not Notification.objects.filter(person=supervisor_b).exists()


def test_a_returned_report_is_awaited_and_a_closed_unit_is_not(unit_a, unit_b, supervisor_a, supervisor_b):
    ResultsReport.objects.create(unit=unit_a, year=2025, status=ResultsReport.Status.RETURNED, filed_by=supervisor_a)
    Unit.objects.filter(pk=unit_b.pk).update(status=Unit.Status.CLOSED, is_active=False)
    assert reminders.remind_reports_due(LATE) == (0, 1)  # unit A has no address on file: its staff only
    told_once(supervisor_a, "reports_due")
    assert not Notification.objects.filter(person=supervisor_b).exists()
