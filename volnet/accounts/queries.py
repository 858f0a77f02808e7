"""Finding people: the one search box rule every staff page uses (an ID number or a name)."""

import re

from django.db.models import Q

from volnet.lib import twid

_ID_LIKE = re.compile(r"^[A-Z][0-9A-D][0-9]{0,8}$")


def people_filter(text, prefix="", names=True):
    """A Q over people: an ID number (or its beginning) if it looks like one, else part of the name.
    `names=False`: an ID number only (nobody is found by a name: a unit may not see it)."""
    text = (text or "").strip()
    if not text:
        return Q()
    number = twid.normalize(text)
    if _ID_LIKE.match(number):
        return Q(**{f"{prefix}national_id__startswith": number})
    return Q(**{f"{prefix}name__icontains": text}) if names else Q(pk__in=[])
