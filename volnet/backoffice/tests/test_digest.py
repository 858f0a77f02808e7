"""The staff's daily digest (beat backoffice.send_digest): each kind of waiting work told to each staff member
once a day, in one notification summing their units, with at most one mail (none where they turned it off);
nothing waiting, nothing told."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.backoffice import digest
from volnet.backoffice.tasks import send_digest
from volnet.honorcard.models import HonorCardApplication
from volnet.mailer.models import Mail
from volnet.notifications.models import Kind, Notification
from volnet.notifications.services import set_mail_preferences
from volnet.notifications.tests.told import told_once
from volnet.records.models import ServiceRecord
from volnet.recruitment.models import Application, Posting
from volnet.reports.models import ResultsReport
from volnet.units.models import Unit

TODAY = dt.date(2026, 3, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(volunteer, other_volunteer, unit_a, unit_b, supervisor_a, supervisor_b, service_record, authority):
    team = Unit.objects.create(code="2-299-1", name="樂樂志工隊第一分隊", authority=authority, parent=unit_a)
    for unit in (unit_a, unit_a, team):  # two waiting in unit A, one in the team below it
        service_record(unit=unit, status=ServiceRecord.Status.PENDING, self_reported=True)
    service_record(unit=unit_a, status=ServiceRecord.Status.PENDING)  # entered by the unit: not a self-report
    posting = Posting.objects.create(unit=unit_b, title="圖書整理", service_item="文化服務", place="本館",
                                     start_date=TODAY, end_date=TODAY + dt.timedelta(days=90), quota=3)
    Application.objects.create(posting=posting, volunteer=volunteer)
    HonorCardApplication.objects.create(volunteer=volunteer, unit=unit_a, authority=authority, hours=Decimal("320"))
    ResultsReport.objects.create(unit=unit_a, year=2025, filed_by=supervisor_a)
    return team


def test_each_kind_is_told_once_a_day_with_at_most_one_mail(waiting, supervisor_a, supervisor_b, authority_clerk,
                                                            unit_a, mailbox):
    assert digest.send_digest(TODAY) == {Kind.APPROVALS_WAITING: 1, Kind.APPLICATIONS_TO_REVIEW: 2,
                                         Kind.REPORTS_DUE: 1}
    assert digest.send_digest(TODAY) == {Kind.APPROVALS_WAITING: 0, Kind.APPLICATIONS_TO_REVIEW: 0,
                                         Kind.REPORTS_DUE: 0}  # run again the same day: nobody told twice

    note, [mail] = told_once(supervisor_a, Kind.APPROVALS_WAITING)
    assert note.text == f"{unit_a.name}、樂樂志工隊第一分隊有 3 筆填報時數等待審核。"
    assert "/backoffice/services/pending/" in mail.text and mail.to == supervisor_a.email
    note, [mail] = told_once(supervisor_b, Kind.APPLICATIONS_TO_REVIEW)
    assert "有 1 件申請等待審查" in note.text and note.link == "/recruitment/manage/"
    note, [mail] = told_once(authority_clerk, Kind.APPLICATIONS_TO_REVIEW)
    assert note.text == "臺中市政府社會局有 1 件申請等待審查。" and note.link == "/honor-card/applications/"
    note, [mail] = told_once(authority_clerk, Kind.REPORTS_DUE)
    assert note.text == "臺中市政府社會局有 1 份成果報告等待審核。"
    assert Notification.objects.count() == Mail.objects.count() == 4
    assert len(mailbox.wait_for(4)) == 4

    send_digest.delay()  # the beat task, on the real today: told again, as a new day's digest
    assert Notification.objects.filter(person=supervisor_a, kind=Kind.APPROVALS_WAITING).count() == 2


def test_a_kind_turned_off_is_a_notification_without_mail(waiting, supervisor_a):
    set_mail_preferences(supervisor_a, [kind for kind in Kind.values if kind != Kind.APPROVALS_WAITING])
    digest.send_digest(TODAY)
    digest.send_digest(TODAY)
    note, mails = told_once(supervisor_a, Kind.APPROVALS_WAITING)
    assert mails == [] and "3 筆" in note.text


def test_nothing_waiting_tells_nobody(supervisor_a, authority_clerk):
    assert digest.send_digest(TODAY) == {Kind.APPROVALS_WAITING: 0, Kind.APPLICATIONS_TO_REVIEW: 0,
                                         Kind.REPORTS_DUE: 0}
    assert not Notification.objects.exists()


def test_a_closed_unit_waits_for_nobody(service_record, unit_a, supervisor_a):
    service_record(unit=unit_a, status=ServiceRecord.Status.PENDING, self_reported=True)
    Unit.objects.filter(pk=unit_a.pk).update(status=Unit.Status.CLOSED, is_active=False)
    assert digest.send_digest(TODAY)[Kind.APPROVALS_WAITING] == 0
