"""notify(): one notification and at most one mail per event; the 通知 page, its header count and mail settings."""

import pytest
from django.db import transaction
from django.urls import reverse

from volnet.mailer.models import Mail
from volnet.notifications.models import Kind, MailOptOut, Notification
from volnet.notifications.services import notify, set_mail_preferences

pytestmark = pytest.mark.django_db


def _card_issued(person, key="card-issued:1"):
    return notify(person, Kind.CARD_ISSUED, key=key, params={"until": "118/12/31"}, link="/me/honors/")


def test_an_event_is_one_notification_and_one_mail_even_when_raised_twice(volunteer, mailbox):
    _card_issued(volunteer)
    _card_issued(volunteer)
    [note] = Notification.objects.filter(person=volunteer)
    assert "118/12/31" in note.text
    [message] = mailbox.wait_for(1, to=volunteer.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "118/12/31" in body and "/me/honors/" in body
    assert mailbox.wait_for(2, timeout=0.5)[1:] == []
    assert Mail.objects.filter(to=volunteer.email).count() == 1


def test_a_rolled_back_event_leaves_no_notification_and_no_mail(volunteer):
    with pytest.raises(RuntimeError), transaction.atomic():
        _card_issued(volunteer)
        raise RuntimeError
    assert not Notification.objects.exists() and not Mail.objects.exists()


def test_no_address_on_file_is_a_notification_without_mail(volunteer):
    volunteer.email = ""
    volunteer.save()
    _card_issued(volunteer)
    assert Notification.objects.count() == 1 and not Mail.objects.exists()


def test_a_kind_turned_off_is_not_mailed_but_security_mail_cannot_be_turned_off(volunteer):
    set_mail_preferences(volunteer, [])
    assert set(MailOptOut.objects.filter(person=volunteer).values_list("kind", flat=True)) == \
        set(Kind.values) - {Kind.ACCOUNT_CHANGED}
    _card_issued(volunteer)
    notify(volunteer, Kind.ACCOUNT_CHANGED, key="account:1", params={"what": "密碼"})
    assert Notification.objects.count() == 2
    assert list(Mail.objects.values_list("key", flat=True)) == ["notice:account:1"]
    set_mail_preferences(volunteer, Kind.values)
    assert not MailOptOut.objects.exists()


def test_the_page_lists_them_opening_marks_read_and_the_header_counts_unread(volunteer_client, volunteer):
    _card_issued(volunteer, "a")
    notify(volunteer, Kind.BOOK_ISSUED, key="b", params={"unit": "甲單位", "number": "A-1"})
    page = volunteer_client.get(reverse("notifications:list")).content.decode()
    assert "118/12/31" in page and "甲單位已發給您志願服務紀錄冊" in page
    assert "2 則未讀" in page
    note = Notification.objects.get(key="a")
    answer = volunteer_client.get(reverse("notifications:open", args=[note.pk]))
    assert answer.status_code == 302 and answer["Location"] == "/me/honors/"
    assert "1 則未讀" in volunteer_client.get(reverse("portal:home")).content.decode()
    volunteer_client.post(reverse("notifications:read_all"))
    assert not Notification.objects.unread().exists()
    assert "則未讀" not in volunteer_client.get(reverse("notifications:list")).content.decode()


def test_someone_elses_notification_is_not_opened(client, volunteer, other_volunteer):
    _card_issued(volunteer)
    client.force_login(other_volunteer)
    answer = client.get(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert answer["Location"] == reverse("notifications:list")
    assert Notification.objects.unread().count() == 1


def test_a_link_off_site_is_not_followed(volunteer_client, volunteer):
    notify(volunteer, Kind.CARD_ISSUED, key="x", link="https://evil.example/")
    answer = volunteer_client.get(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert answer["Location"] == reverse("notifications:list")


def test_mail_settings_page_saves_and_shows_security_as_always_on(volunteer_client, volunteer):
    page = volunteer_client.get(reverse("notifications:mail")).content.decode()
    assert "無法關閉" in page and "單位變更您的密碼或電子信箱" in page
    volunteer_client.post(reverse("notifications:mail"), {"kinds": [Kind.HOURS_APPROVED]})
    off = set(MailOptOut.objects.filter(person=volunteer).values_list("kind", flat=True))
    assert Kind.HOURS_APPROVED not in off and Kind.CARD_ISSUED in off and Kind.ACCOUNT_CHANGED not in off
    answer = volunteer_client.post(reverse("notifications:mail"), {"kinds": ["nonsense"]})
    assert answer.status_code == 200  # the form shows the bad choice; nothing changed
    assert set(MailOptOut.objects.filter(person=volunteer).values_list("kind", flat=True)) == off


def test_staff_reach_the_same_page_from_the_back_office_header(client, supervisor_a):
    notify(supervisor_a, Kind.APPROVALS_WAITING, key="w", params={"unit": "甲單位", "count": 3})
    client.force_login(supervisor_a)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "甲單位有 3 筆填報時數等待審核" in page


def test_the_cached_hours_page_shows_the_count_of_now(volunteer_client, volunteer):
    assert "則未讀" not in volunteer_client.get("/me/services/?tab=services").content.decode()
    _card_issued(volunteer)
    assert "1 則未讀" in volunteer_client.get("/me/services/?tab=services").content.decode()
