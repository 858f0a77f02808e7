"""For the event sources' tests: the event told the person once, in the site and by at most one mail."""

from volnet.mailer.models import Mail
from volnet.notifications.models import Notification


def told_once(person, kind):
    """The one notification of `kind` for `person` (fails on none or more), and its mail rows (0 or 1)."""
    [note] = Notification.objects.filter(person=person, kind=kind)
    mails = list(Mail.objects.filter(key=f"notice:{note.key}"))
    assert len(mails) <= 1
    return note, mails
