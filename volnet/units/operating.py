"""A unit that is closed or merged into another takes no new work (issue 13): no new service, training,
insurance or other records, no import, no recruitment posting or application, no record-book or honor-card
application from its staff. Everything it recorded before stays readable and correctable.

The one check every domain action asks (`require_operating`), raising the caller's own error type so its
views show the message as they show every other refusal."""

from django.utils.translation import gettext as _

from volnet.errors import DomainError
from volnet.lib import rocdate
from volnet.lib.conditions import holds


def takes_new_work(unit):
    """Whether the unit is in operation (`Unit.TAKES_NEW_WORK`; `Unit.objects.taking_new_work()` in a query)."""
    return holds(unit.TAKES_NEW_WORK, unit)


def new_work_refusal(unit):
    """None for a unit in operation; otherwise the sentence that says why nothing new is taken."""
    if takes_new_work(unit):
        return None
    since = _("（%(date)s 起）") % {"date": rocdate.format(unit.closed_on)} if unit.closed_on else ""
    if unit.status == unit.Status.MERGED and unit.successor_id:
        return _("%(unit)s 已併入 %(successor)s%(since)s，不再登錄新的資料或申請；請改由 %(successor)s 辦理。"
                 "過去的紀錄仍可查看。") % {"unit": unit.label, "successor": unit.successor.label, "since": since}
    return _("%(unit)s 已停止運作%(since)s，不再登錄新的資料或申請；過去的紀錄仍可查看。") % {
        "unit": unit.label, "since": since}


def require_operating(unit, error=DomainError):
    """Raise `error("unit_closed", message)` (a DomainError subclass) unless the unit is in operation."""
    message = new_work_refusal(unit)
    if message is not None:
        raise error("unit_closed", message)
