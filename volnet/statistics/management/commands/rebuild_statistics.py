"""manage.py rebuild_statistics: sum the statistics' summary tables again from the records, every unit, with a
progress bar. Safe to run at any time (each batch of units is one transaction); needed after data is loaded
around the models (a restore, generate_data)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from volnet.statistics import maintain
from volnet.units.models import Unit


class Command(BaseCommand):
    help = "Rebuild the statistics' summary tables from the records (INSERT … SELECT … GROUP BY, per batch of units)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-bar", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, quiet_bar=False, **options):
        unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
        started = time.monotonic()
        with tqdm(total=len(unit_ids), desc=_("統計"), unit=_("單位"), disable=quiet_bar,
                  file=self.stderr._out) as bar:
            maintain.rebuild(unit_ids, progress=bar.update)
        self.stdout.write(_("已重算 %(count)s 個單位的統計，費時 %(seconds).1f 秒。") % {
            "count": len(unit_ids), "seconds": time.monotonic() - started})
