"""Sent, inside the writing transaction, by a write that changes records without the model's save or delete
(a batched INSERT, a queryset update): `changed.send(sender=Model, unit_ids=[…], months={(year, month), …})`,
months None when any month may have changed. Whatever sums the records (the statistics) listens."""

from django.dispatch import Signal

changed = Signal()
