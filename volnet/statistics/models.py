"""Summary tables of the statistics pages, kept up to date in the transaction of every write that changes
what they sum (`statistics.receivers`), and rebuilt from scratch by `manage.py rebuild_statistics`.

A page reads these, never the records: at 20,000,000 service records a page sums a few thousand rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from volnet.units.models import Unit


class ServiceMonth(models.Model):
    """Hours that count (`ServiceRecord.COUNTS`) and their records, per unit, month of the start date and
    service item."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    service_item = models.CharField(_("服務項目"), max_length=40)
    hours = models.DecimalField(_("服務時數"), max_digits=14, decimal_places=1)
    records = models.PositiveIntegerField(_("筆數"))

    class Meta:
        indexes = [models.Index(fields=["year", "unit"]), models.Index(fields=["unit", "year", "month"])]
        verbose_name = verbose_name_plural = _("服務時數月統計")

    def __str__(self):
        return f"{self.unit_id} {self.year}-{self.month:02d} {self.service_item} {self.hours}"


class VolunteerCount(models.Model):
    """Accepted memberships (serving or ended) per unit, sex, birth year and whether serving now. A person in
    two units counts once in each, as the units' own rosters do."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(_("性別"), max_length=1, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年"), null=True)
    active = models.BooleanField(_("服務中"))
    people = models.PositiveIntegerField(_("人數"))

    class Meta:
        indexes = [models.Index(fields=["unit", "active"])]
        verbose_name = verbose_name_plural = _("志工人數統計")

    def __str__(self):
        return f"{self.unit_id} {self.sex or '-'} {self.birth_year or '-'} {self.people}"
