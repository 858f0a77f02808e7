"""Finding people: the one search box rule every staff page uses (an ID number or a name)."""

from django.db.models import Q

from volnet.lib import twid


def people_filter(text, prefix="", names=True):
    """A Q over people (or over rows that point to a person through `prefix`, e.g. "volunteer__"): an
    ID number or its beginning when the text looks like one (twid.is_beginning, full-width folded),
    else part of the name.

    `names` says who may be found by a name: True everyone, False nobody (an ID number only), or a Q
    over the same rows, e.g. only people who accepted the unit (domain.md §9.12: a unit never finds
    someone by a name it may not see). Everyone is found by ID number."""
    text = (text or "").strip()
    if not text:
        return Q()
    number = twid.normalize(text)
    if twid.is_beginning(number):
        return Q(**{f"{prefix}national_id__startswith": number})
    if names is False:
        return Q(pk__in=[])
    by_name = Q(**{f"{prefix}name__icontains": text})
    return by_name if names is True else by_name & names
