"""What keeps the summary tables true as records change, in the same transaction as the write.

Every write through a model (the records' services, the back office, the admin) reaches the tables through
Django's post_save / post_delete of the model; the writes that bypass the models (the Excel import's batched
INSERT, the consent of a unit's entries settled by the person's answer) send `records.signals.changed`
themselves. A service record's month and unit as loaded are remembered (post_init), so an edit that moves it
to another month or unit refreshes both."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from volnet.records.models import ServiceRecord
from volnet.records.signals import changed
from volnet.statistics import maintain
from volnet.units.models import Membership


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
def _records_changed(sender, unit_ids, months=None, **kwargs):
    if sender is ServiceRecord:
        maintain.refresh_service_months(unit_ids, months)


@receiver(post_save, sender=Membership, dispatch_uid="statistics.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="statistics.membership_deleted")
def _membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        maintain.refresh_volunteer_counts([instance.unit_id])


@receiver(post_save, sender=get_user_model(), dispatch_uid="statistics.person_saved")
def _person_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and not {"sex", "birth_date"} & set(update_fields)):
        return
    units = Membership.objects.accepted().filter(volunteer=instance).values_list("unit_id", flat=True)
    maintain.refresh_volunteer_counts(set(units))
