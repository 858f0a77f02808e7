"""Delete QR tokens that expired more than a day ago. The check log keeps its rows (card, time,
verdict); only the link to the spent token is cleared. The beat job honorcard.purge_card_tokens does the same
daily (honorcard.services.purge_tokens); this command is for a run by hand."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from volnet.honorcard import services


class Command(BaseCommand):
    @property
    def help(self):
        # Read when the parser is built, in the language then active (argparse needs a real str, not a lazy one).
        return gettext("刪除逾時超過一天的榮譽卡 QR code（驗證紀錄保留）。")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1, help=gettext("保留最近幾天內逾時的 QR code（預設 1）"))

    def handle(self, *args, **options):
        deleted = services.purge_tokens(timezone.now(), dt.timedelta(days=max(options["days"], 0)))
        self.stdout.write(ngettext("已刪除 %(count)d 個逾時的 QR code。", "已刪除 %(count)d 個逾時的 QR code。",
                                   deleted)
                          % {"count": deleted})
