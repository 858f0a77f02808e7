"""The honor card about to end (beat): the volunteer once per card, the staff of the units they serve in once per
unit and end date, however often the job runs; a card already renewed, revoked or ending later tells nobody."""

import datetime as dt

from conftest import make_person
from volnet.honorcard import reminders
from volnet.honorcard.models import HonorCard
from volnet.mailer.models import Mail
from volnet.notifications.models import Notification
from volnet.notifications.tests.told import told_once
from volnet.units.models import Membership

TODAY = dt.date(2026, 6, 1)
ENDS = dt.date(2026, 7, 20)  # in 49 days


def test_a_card_ending_within_60_days_tells_the_volunteer_and_the_unit_once(build, volunteer, unit_a, supervisor_a):
    build.card(dt.date(2023, 7, 21), ENDS, number="C-1")
    other = make_person("A123456789", "王小明", email="ming@example.tw")
    Membership.objects.create(volunteer=other, unit=unit_a)
    build.card(dt.date(2023, 7, 21), ENDS, number="C-2", volunteer=other)
    assert reminders.remind_cards_ending(TODAY) == 3  # two volunteers, one supervisor
    assert reminders.remind_cards_ending(TODAY) == 0  # run again: nobody told twice
    assert reminders.remind_cards_ending(TODAY + dt.timedelta(days=1)) == 0
    note, [mail] = told_once(volunteer, "card_ending")
    assert "115/07/20" in note.text and mail.to == volunteer.email and "/honor-card/" in mail.text
    note, mails = told_once(supervisor_a, "cards_ending")
    assert "有 2 位志工的志願服務榮譽卡將於 115/07/20 到期" in note.text and unit_a.name in note.text
    assert len(mails) == 1 and "/backoffice/eligibility/" in mails[0].text
    assert Notification.objects.count() == 3 and Mail.objects.count() == 3


def test_a_renewed_revoked_or_later_card_tells_nobody(build, volunteer, unit_a, supervisor_a):
    build.card(dt.date(2023, 7, 21), ENDS, number="C-1")
    build.card(ENDS + dt.timedelta(days=1), dt.date(2029, 7, 20), number="C-2", kind=HonorCard.Kind.RENEWAL)
    build.card(dt.date(2023, 7, 21), ENDS, number="C-3", status=HonorCard.Status.REVOKED,
               volunteer=make_person("A123456789", "王小明"))
    build.card(dt.date(2023, 9, 1), dt.date(2026, 8, 31), number="C-4",
               volunteer=make_person("B123456780", "李小華"))  # 91 days away: not yet
    assert reminders.remind_cards_ending(TODAY) == 0
    assert not Notification.objects.exists()


def test_a_unit_the_volunteer_left_is_not_told(build, volunteer, unit_a, supervisor_a):
    Membership.objects.filter(volunteer=volunteer).update(status=Membership.Status.ENDED, left_on=TODAY)
    build.card(dt.date(2023, 7, 21), ENDS, number="C-1")
    assert reminders.remind_cards_ending(TODAY) == 1
    told_once(volunteer, "card_ending")
    assert not Notification.objects.filter(person=supervisor_a).exists()
