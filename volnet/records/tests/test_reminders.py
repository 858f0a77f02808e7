"""The insurance reminder (beat): once per person and policy, however often it runs; nobody still covered after."""

import datetime as dt

from conftest import make_person
from volnet.mailer.models import Mail
from volnet.notifications.models import Notification
from volnet.notifications.tests.told import told_once
from volnet.records import reminders
from volnet.records.models import InsuranceCoverage, InsurancePolicy

TODAY = dt.date(2026, 6, 1)


def _policy(unit, start, end, *people):
    policy = InsurancePolicy.objects.create(unit=unit, insurer="某產險", policy_number=f"P{start}{end}",
                                            start_date=start, end_date=end)
    InsuranceCoverage.objects.bulk_create(InsuranceCoverage(policy=policy, volunteer=person) for person in people)
    return policy


def test_insurance_ending_within_30_days_tells_the_volunteer_and_the_unit_once(volunteer, unit_a, supervisor_a):
    covered_on = make_person("A123456789", "王小明", email="ming@example.tw")
    _policy(unit_a, dt.date(2025, 7, 1), dt.date(2026, 6, 20), volunteer, covered_on)
    _policy(unit_a, dt.date(2026, 6, 21), dt.date(2027, 6, 20), covered_on)  # renewed: nothing to tell
    _policy(unit_a, dt.date(2025, 1, 1), dt.date(2026, 8, 1), supervisor_a)  # ends in 61 days: not yet
    count = reminders.remind_insurance_ending(TODAY)
    assert count == 2, list(Notification.objects.values_list("key", flat=True))  # the volunteer, the supervisor
    assert reminders.remind_insurance_ending(TODAY) == 0  # run again: nobody told twice
    assert reminders.remind_insurance_ending(TODAY + dt.timedelta(days=1)) == 0
    note, [mail] = told_once(volunteer, "insurance_ending")
    assert "115/06/20" in note.text and mail.to == volunteer.email
    note, mails = told_once(supervisor_a, "insurance_ending")
    assert unit_a.name in note.text and len(mails) <= 1
    assert not Notification.objects.filter(person=covered_on).exists()
    assert Mail.objects.count() == 1 + len(mails)


def test_a_policy_ending_later_tells_nobody_yet(volunteer, unit_a):
    _policy(unit_a, dt.date(2025, 7, 1), dt.date(2026, 7, 2), volunteer)
    assert reminders.remind_insurance_ending(TODAY) == 0
