"""manage.py rebuild_statistics: sum the statistics' summary tables again from the records, with a progress bar
(one step per table). Safe to run at any time (one transaction: the pages show the old figures until it
commits); needed after data is loaded around the models (a restore, generate_data) and after a migration
that adds a summary table."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from volnet.statistics import maintain
from volnet.units.models import Unit


class Command(BaseCommand):
    help = "Rebuild the statistics' summary tables from the records (INSERT … SELECT … GROUP BY over each table)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-bar", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, quiet_bar=False, **options):
        units = Unit.objects.count()
        started = time.monotonic()
        with tqdm(total=maintain.STEPS, desc=_("統計"), unit=_("表"), disable=quiet_bar,
                  file=self.stderr._out) as bar:
            maintain.rebuild(progress=bar.update)
        self.stdout.write(_("已重算 %(count)s 個單位的統計，費時 %(seconds).1f 秒。") % {
            "count": units, "seconds": time.monotonic() - started})
