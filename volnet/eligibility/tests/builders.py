"""Builders for eligibility and honor-card tests: a volunteer's training, record book, photo, service hours
and awards."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from volnet.demo import images
from volnet.honorcard.models import HonorCard
from volnet.records.models import Award, RecordBook, ServiceRecord, TrainingRecord


class Builder:
    def __init__(self, volunteer, unit, registrant, authority):
        self.volunteer = volunteer
        self.unit = unit
        self.registrant = registrant
        self.authority = authority
        self._books = 0

    def training(self, kind, day, minutes=360, category="social_welfare", volunteer=None, end=None):
        return TrainingRecord.objects.create(
            volunteer=volunteer or self.volunteer, unit=self.unit, registrant=self.registrant, kind=kind,
            category=category if kind == TrainingRecord.Kind.SPECIAL else "", course=f"{kind}課程",
            organiser="臺中市志願服務推廣中心", start_date=day, end_date=end, minutes=minutes,
        )

    def basic(self, day, minutes=360, **extra):
        return self.training(TrainingRecord.Kind.BASIC, day, minutes, **extra)

    def special(self, day, minutes=360, category="social_welfare", **extra):
        return self.training(TrainingRecord.Kind.SPECIAL, day, minutes, category=category, **extra)

    def book(self, issued_on, category="social_welfare", volunteer=None):
        self._books += 1
        return RecordBook.objects.create(
            volunteer=volunteer or self.volunteer, number=f"TC-T-{self._books:05d}", authority=self.authority,
            issued_on=issued_on, category=category,
        )

    def photo(self, volunteer=None, real=False):
        """A photo path on file; `real=True` writes an actual JPEG (point MEDIA_ROOT at a temporary folder)."""
        volunteer = volunteer or self.volunteer
        if real:
            volunteer.photo.save("test.jpg", ContentFile(images.portrait_jpeg()), save=False)
        else:
            volunteer.photo = "photos/test.jpg"
        volunteer.save(update_fields=["photo"])

    def ready(self, trained_on=dt.date(2021, 10, 3), volunteer=None):
        """Record book, basic and special training complete on `trained_on`, photo on file."""
        self.basic(trained_on, volunteer=volunteer)
        self.special(trained_on, volunteer=volunteer)
        self.book(trained_on, volunteer=volunteer)
        self.photo(volunteer)

    def hours(self, day, hours, unit=None, volunteer=None, **extra):
        return ServiceRecord.objects.create(
            volunteer=volunteer or self.volunteer, unit=unit or self.unit, registrant=self.registrant,
            service_item="綜合服務", content="關懷訪視", start_date=day, end_date=extra.pop("end", day),
            hours=Decimal(str(hours)), **extra,
        )

    def card(self, valid_from, valid_to, counted_from=None, counted_to=None, number="TC-HC-001", **extra):
        return HonorCard.objects.create(
            volunteer=extra.pop("volunteer", self.volunteer), authority=self.authority, number=number,
            valid_from=valid_from, valid_to=valid_to, counted_from=counted_from, counted_to=counted_to, **extra,
        )

    def award(self, kind, level, name="", day=dt.date(2023, 8, 31)):
        return Award.objects.create(
            volunteer=self.volunteer, unit=self.unit, registrant=self.registrant, kind=kind, name=name or level,
            level=level, awarded_on=day, granted_by="衛生福利部",
        )


def restore_rules():
    """Put the rule table back as its data migration wrote it. A transactional test (live_server, threads)
    flushes every table at its end, data migrations included; later tests in the process need the rules."""
    import importlib

    from django.apps import apps

    from volnet.eligibility.models import Rule

    if not Rule.objects.exists():
        importlib.import_module("volnet.eligibility.migrations.0002_seed_rules").seed(apps, None)
        importlib.import_module("volnet.eligibility.migrations.0003_certificate_requests").seed_deadline(apps, None)


def rule_table(request):
    """Body of an autouse fixture: restore the rules for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    restore_rules()
