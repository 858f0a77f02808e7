import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from volnet.honorcard import services
from volnet.honorcard.models import CardCheck, CardToken


def test_old_tokens_go_and_their_checks_stay(card):
    old, _ = services.issue_token(card, now=timezone.now() - dt.timedelta(days=2))
    services.check_token(old, now=timezone.now() - dt.timedelta(days=2))
    fresh, token = services.issue_token(card)
    call_command("purge_card_tokens", stdout=open("/dev/null", "w"))
    assert list(CardToken.objects.all()) == [token]
    check = CardCheck.objects.get()
    assert (check.verdict, check.card, check.token) == ("valid", card, None)
