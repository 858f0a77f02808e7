"""Summary tables of the statistics pages, kept up to date in the transaction of every write that changes
what they sum (`statistics.receivers`), and rebuilt from scratch by `manage.py rebuild_statistics`.

Two levels. Per unit (`ServiceMonth`, `VolunteerCount`, `InsuredCount`): what one unit's figures, a district's
and a city's list of units read. Per area (`AreaFigure`): the same figures summed over every unit of a
competent authority, sector authority and unit category, the grain the tenancy and the filters of the pages
cut by; the page of a city or of the whole country reads these, a few hundred rows whatever the number of
units, volunteers or records. The record books and honor cards issued are counted per authority and year
(`AreaFigure` too).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from volnet.units.models import Authority, Unit


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
    """Accepted memberships (serving or ended) per unit, sex, birth year, whether serving now and whether the
    person has a 基礎訓練 that counts (of any unit). A person in two units counts once in each, as the units'
    own rosters do."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(_("性別"), max_length=1, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年"), null=True)
    active = models.BooleanField(_("服務中"))
    trained = models.BooleanField(_("完成基礎訓練"), default=False)
    people = models.PositiveIntegerField(_("人數"))

    class Meta:
        indexes = [models.Index(fields=["unit", "active"])]
        verbose_name = verbose_name_plural = _("志工人數統計")

    def __str__(self):
        return f"{self.unit_id} {self.sex or '-'} {self.birth_year or '-'} {self.people}"


class InsuredCount(models.Model):
    """Serving members of a unit insured by one of the unit's policies in force on some day of a year."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    people = models.PositiveIntegerField(_("人數"))

    class Meta:
        indexes = [models.Index(fields=["unit", "year"])]
        verbose_name = verbose_name_plural = _("保險人數統計")

    def __str__(self):
        return f"{self.unit_id} {self.year} {self.people}"


class AreaFigure(models.Model):
    """One figure summed over the units of an area (competent authority, sector authority, unit category),
    kept by adding each write's difference (`statistics.maintain`); or, for books and cards, per issuing
    authority and year. Which key columns a figure uses:

    - month: year, month (hours and records that count); item: year, label = service item;
    - people: label = sex, active, trained (accepted memberships); age: year = birth year (0: unknown), active;
    - insured: year; books, cards: year (record books and honor cards the authority issued)."""

    class Figure(models.TextChoices):
        MONTH = "month", _("月份")
        ITEM = "item", _("服務項目")
        PEOPLE = "people", _("人數")
        AGE = "age", _("出生年")
        INSURED = "insured", _("保險人數")
        BOOKS = "books", _("紀錄冊")
        CARDS = "cards", _("榮譽卡")

    figure = models.CharField(_("項目"), max_length=8, choices=Figure.choices)
    authority = models.ForeignKey(Authority, verbose_name=_("主管機關"), on_delete=models.CASCADE, related_name="+")
    sector = models.PositiveIntegerField(_("目的事業主管機關"), default=0)  # an Authority's id; 0: none
    category = models.CharField(_("服務類別"), max_length=20, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("年度"), default=0)
    month = models.PositiveSmallIntegerField(_("月份"), default=0)
    label = models.CharField(_("名稱"), max_length=40, blank=True, default="")
    active = models.BooleanField(_("服務中"), default=False)
    trained = models.BooleanField(_("完成基礎訓練"), default=False)
    hours = models.DecimalField(_("服務時數"), max_digits=16, decimal_places=1, default=0)
    count = models.BigIntegerField(_("數量"), default=0)

    KEY = ("figure", "authority_id", "sector", "category", "year", "month", "label", "active", "trained")

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["figure", "authority", "sector", "category", "year", "month", "label", "active", "trained"],
            name="area_figure_key")]
        indexes = [models.Index(fields=["figure", "year"])]
        verbose_name = verbose_name_plural = _("轄區統計")

    def __str__(self):
        return f"{self.figure} {self.authority_id}/{self.sector}/{self.category or '-'} {self.year} {self.count}"
