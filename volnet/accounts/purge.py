"""Expired rows the accounts keep, forgotten by the beat job accounts.purge_expired: spent captcha codes (kept
only until the code would have expired anyway) and, where sessions live in the database (no Redis: `make
run`, development), expired sessions; Redis forgets its own. Password-reset, sign-up and e-mail-change links
are signed tokens with their age inside (accounts.services, accounts.profile): no row to purge."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from volnet.accounts.models import SpentCaptcha
from volnet.paging import delete_in_batches

DATABASE_SESSIONS = "django.contrib.sessions.backends.db"


def purge_expired(now=None):
    """Delete what has expired, in batches; returns {what: how many}."""
    now = now or timezone.now()
    sessions = 0
    if settings.SESSION_ENGINE == DATABASE_SESSIONS:
        sessions = delete_in_batches(Session.objects.filter(expire_date__lt=now))
    return {"captchas": delete_in_batches(SpentCaptcha.objects.filter(expires_at__lt=now)), "sessions": sessions}
