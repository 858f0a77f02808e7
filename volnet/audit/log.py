"""The one way to write an audit entry."""

from volnet.audit.models import AuditEntry
from volnet.http import client_ip


def record(action, *, actor=None, volunteer=None, unit=None, obj=None, changes=None, request=None):
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None else _signed_in(request),
        volunteer=volunteer,
        unit=unit,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        changes=changes or {},
    )


def diff(before, after):
    """{field: [old, new]} for the fields that changed, values as strings."""
    return {
        key: [str(before.get(key, "")), str(after.get(key, ""))]
        for key in sorted(set(before) | set(after))
        if str(before.get(key, "")) != str(after.get(key, ""))
    }


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
