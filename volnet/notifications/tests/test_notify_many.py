"""notify_many(): a scheduled job's notify() for many people at once: the same notifications and the same mails,
each key told once however often the job runs, opt-outs honoured, the mail rendered once per batch."""

import pytest

from volnet.accounts.models import User
from volnet.mailer.models import Mail
from volnet.notifications.models import Kind, Notification
from volnet.notifications.services import Notice, notify, notify_many, set_mail_preferences

pytestmark = pytest.mark.django_db


def _notice(person, key, link="/me/honors/"):
    return Notice(person.pk, person.name, person.email, key=key, params={"until": "118/12/31"}, link=link)


@pytest.mark.parametrize("link", ["/me/honors/", ""])
def test_the_mail_is_the_one_notify_writes_names_escaped(volunteer, link):
    volunteer.name = "<b>熊&大</b>"
    volunteer.save()
    notify(volunteer, Kind.CARD_ENDING, key="one", params={"until": "118/12/31"}, link=link)
    assert notify_many(Kind.CARD_ENDING, [_notice(volunteer, "many", link)]) == 1
    one, many = Mail.objects.get(key="notice:one"), Mail.objects.get(key="notice:many")
    assert (many.to, many.subject, many.text, many.html) == (one.to, one.subject, one.text, one.html)
    assert "&lt;b&gt;熊&amp;大&lt;/b&gt;" in many.html and "<b>熊&大</b>" in many.text
    assert "118/12/31" in many.text and (link in many.text if link else "http" not in many.text.split("118")[1])


def test_a_key_is_told_once_across_runs_and_within_a_batch(volunteer, other_volunteer, mailbox):
    notices = [_notice(volunteer, "k1"), _notice(volunteer, "k1"), _notice(other_volunteer, "k2")]
    assert notify_many(Kind.CARD_ENDING, notices, batch=2) == 2
    assert notify_many(Kind.CARD_ENDING, notices, batch=2) == 0
    assert Notification.objects.count() == 2
    # the other volunteer has no address: a notification without mail
    assert list(Mail.objects.values_list("key", flat=True)) == ["notice:k1"]
    [message] = mailbox.wait_for(1, to=volunteer.email)
    assert "118/12/31" in message.get_body(preferencelist=("plain",)).get_content()
    assert Mail.objects.get().status == Mail.Status.SENT


def test_a_kind_turned_off_gets_no_mail_and_security_is_always_mailed(volunteer):
    set_mail_preferences(volunteer, [])
    notify_many(Kind.CARD_ENDING, [_notice(volunteer, "off")])
    notify_many(Kind.ACCOUNT_CHANGED, [_notice(volunteer, "security")])
    assert Notification.objects.count() == 2
    assert list(Mail.objects.values_list("key", flat=True)) == ["notice:security"]


def test_a_generator_is_read_a_batch_at_a_time(volunteer):
    people = User.objects.bulk_create(User(national_id=f"Z{n:09d}", name=f"志工{n}", email=f"v{n}@example.tw")
                                      for n in range(5))
    written_before = []

    def notices():
        for person in people:
            written_before.append(Notification.objects.count())
            yield _notice(person, f"g{person.pk}")

    assert notify_many(Kind.CARD_ENDING, notices(), batch=2) == 5
    assert written_before == [0, 0, 2, 2, 4]  # each batch written before the next is read
    assert Mail.objects.count() == 5
