"""What keeps the summary tables true as records change, in the same transaction as the write.

Every write through a model (the records' services, the back office, the admin) reaches the tables through
Django's post_save / post_delete of the model; the writes that bypass the models (the Excel import's batched
INSERT, the consent of a unit's entries settled by the person's answer, a policy's insured volunteers written
with bulk_create) send `records.signals.changed` themselves. What a row was when loaded is remembered
(post_init: a service record's unit and month, a unit's area, a book's or card's authority and year), so an
edit that moves it refreshes both sides.

The honor cards are the honorcard app's, a feature beside this one: the receivers name the model as
"honorcard.HonorCard" (Django resolves it when the app is loaded) and never import it."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils import timezone

from volnet.records.models import InsuranceCoverage, InsurancePolicy, RecordBook, ServiceRecord, TrainingRecord
from volnet.records.signals import changed
from volnet.statistics import maintain
from volnet.statistics.models import AreaFigure
from volnet.units.models import Membership, Unit


def _month(record):
    return (record.start_date.year, record.start_date.month) if record.start_date else None


@receiver(post_init, sender=ServiceRecord, dispatch_uid="statistics.service_loaded")
def _remember(sender, instance, **kwargs):
    instance._statistics_slice = (instance.unit_id, _month(instance)) if instance.pk else None


def _refresh(record):
    slices = {(record.unit_id, _month(record))}
    if getattr(record, "_statistics_slice", None):
        slices.add(record._statistics_slice)
    for unit_id, month in slices:
        if unit_id is not None and month is not None:
            maintain.refresh_service_months([unit_id], {month})


@receiver(post_save, sender=ServiceRecord, dispatch_uid="statistics.service_saved")
def _service_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _refresh(instance)
    instance._statistics_slice = (instance.unit_id, _month(instance))


@receiver(post_delete, sender=ServiceRecord, dispatch_uid="statistics.service_deleted")
def _service_deleted(sender, instance, **kwargs):
    _refresh(instance)


@receiver(changed, dispatch_uid="statistics.records_changed")
def _records_changed(sender, unit_ids, months=None, volunteer_ids=None, **kwargs):
    if sender is ServiceRecord:
        maintain.refresh_service_months(unit_ids, months)
    elif sender is TrainingRecord:
        if volunteer_ids is None:
            volunteer_ids = Membership.objects.filter(unit_id__in=list(unit_ids)).values_list("volunteer_id", flat=True)
        maintain.refresh_trained(volunteer_ids)
    elif sender in (InsuranceCoverage, InsurancePolicy):
        maintain.refresh_insured(unit_ids)


@receiver(post_save, sender=Membership, dispatch_uid="statistics.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="statistics.membership_deleted")
def _membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        maintain.refresh_volunteer_counts([instance.unit_id])
        maintain.refresh_insured([instance.unit_id])


@receiver(post_save, sender=get_user_model(), dispatch_uid="statistics.person_saved")
def _person_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and not {"sex", "birth_date"} & set(update_fields)):
        return
    units = Membership.objects.accepted().filter(volunteer=instance).values_list("unit_id", flat=True)
    maintain.refresh_volunteer_counts(set(units))


# --- training and insurance ---------------------------------------------------------------------------------


@receiver(post_save, sender=TrainingRecord, dispatch_uid="statistics.training_saved")
@receiver(post_delete, sender=TrainingRecord, dispatch_uid="statistics.training_deleted")
def _training_changed(sender, instance, raw=False, **kwargs):
    if not raw and (instance.kind == TrainingRecord.Kind.BASIC or getattr(instance, "_statistics_basic", False)):
        maintain.refresh_trained({instance.volunteer_id, getattr(instance, "_statistics_volunteer", None)} - {None})
    instance._statistics_basic = instance.kind == TrainingRecord.Kind.BASIC
    instance._statistics_volunteer = instance.volunteer_id


@receiver(post_init, sender=TrainingRecord, dispatch_uid="statistics.training_loaded")
def _training_loaded(sender, instance, **kwargs):
    instance._statistics_basic = bool(instance.pk) and instance.kind == TrainingRecord.Kind.BASIC
    instance._statistics_volunteer = instance.volunteer_id if instance.pk else None


@receiver(post_save, sender=InsurancePolicy, dispatch_uid="statistics.policy_saved")
@receiver(post_delete, sender=InsurancePolicy, dispatch_uid="statistics.policy_deleted")
def _policy_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        maintain.refresh_insured({instance.unit_id, getattr(instance, "_statistics_unit", None)} - {None})
        instance._statistics_unit = instance.unit_id


@receiver(post_init, sender=InsurancePolicy, dispatch_uid="statistics.policy_loaded")
def _policy_loaded(sender, instance, **kwargs):
    instance._statistics_unit = instance.unit_id if instance.pk else None


@receiver(post_save, sender=InsuranceCoverage, dispatch_uid="statistics.coverage_saved")
@receiver(post_delete, sender=InsuranceCoverage, dispatch_uid="statistics.coverage_deleted")
def _coverage_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        unit_id = InsurancePolicy.objects.filter(pk=instance.policy_id).values_list("unit_id", flat=True).first()
        if unit_id is not None:
            maintain.refresh_insured([unit_id])


# --- a unit that changes area ---------------------------------------------------------------------------------


def _area(unit):
    return (unit.authority_id, unit.sector_authority_id or 0, unit.category)


@receiver(post_init, sender=Unit, dispatch_uid="statistics.unit_loaded")
def _unit_loaded(sender, instance, **kwargs):
    instance._statistics_area = _area(instance) if instance.pk else None


@receiver(post_save, sender=Unit, dispatch_uid="statistics.unit_saved")
def _unit_saved(sender, instance, raw=False, created=False, **kwargs):
    before = getattr(instance, "_statistics_area", None)
    if not raw and not created and before is not None:
        maintain.move_unit(instance, before)
    instance._statistics_area = _area(instance)


# --- record books and honor cards issued ----------------------------------------------------------------------


def _issued_key(instance):
    if isinstance(instance, RecordBook):
        return instance.authority_id, instance.issued_on.year if instance.issued_on else None
    return instance.authority_id, timezone.localtime(instance.issued_at).year if instance.issued_at else None


@receiver(post_init, sender=RecordBook, dispatch_uid="statistics.book_loaded")
@receiver(post_init, sender=maintain.HONOR_CARD, dispatch_uid="statistics.card_loaded")
def _issue_loaded(sender, instance, **kwargs):
    instance._statistics_issued = _issued_key(instance) if instance.pk else None


def _figure(sender):
    return AreaFigure.Figure.BOOKS if sender is RecordBook else AreaFigure.Figure.CARDS


@receiver(post_save, sender=RecordBook, dispatch_uid="statistics.book_saved")
@receiver(post_save, sender=maintain.HONOR_CARD, dispatch_uid="statistics.card_saved")
def _issue_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    now, before = _issued_key(instance), getattr(instance, "_statistics_issued", None)
    if now != before:
        if before is not None:
            maintain.issued(_figure(sender), *before, -1)
        maintain.issued(_figure(sender), *now, 1)
    instance._statistics_issued = now


@receiver(post_delete, sender=RecordBook, dispatch_uid="statistics.book_deleted")
@receiver(post_delete, sender=maintain.HONOR_CARD, dispatch_uid="statistics.card_deleted")
def _issue_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_statistics_issued", None) or _issued_key(instance)
    maintain.issued(_figure(sender), *before, -1)
