"""Who may read which audit entries. Built on units.access like every back-office query.

Unit staff read the entries of the units they manage. Authority staff read those too (every unit of
their authority) and, in addition, entries without a unit about volunteers of those units (for example
a password changed from the volunteer's own pages).
"""

from django.db.models import Q

from volnet.audit.models import AuditEntry
from volnet.units import access


def visible_entries(user):
    condition = Q(unit__in=access.managed_units(user))
    if access.is_authority_staff(user):
        condition |= Q(unit__isnull=True, volunteer__in=access.managed_volunteers(user))
    return AuditEntry.objects.filter(condition)
