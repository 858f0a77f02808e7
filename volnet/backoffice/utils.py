"""Small helpers the back-office views share: finding people by ID number or name, date filters."""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from volnet.lib import rocdate, twid

_ID_LIKE = re.compile(r"^[A-Z][0-9A-D][0-9]{0,8}$")


def people_filter(text, prefix=""):
    """A Q over people: an ID number (or its beginning) if it looks like one, else part of the name."""
    text = (text or "").strip()
    if not text:
        return Q()
    number = twid.normalize(text)
    if _ID_LIKE.match(number):
        return Q(**{f"{prefix}national_id__startswith": number})
    return Q(**{f"{prefix}name__icontains": text})


def date_filter(request, names=("from", "to")):
    """Two optional ROC dates from the query string: (start, end, error message or "")."""
    values = []
    for name in names:
        text = (request.GET.get(name) or "").strip()
        try:
            values.append(rocdate.parse(text) if text else None)
        except rocdate.RocDateError as error:
            return None, None, str(error)
    start, end = values
    if start and end and end < start:
        return None, None, _("查詢的迄日早於起日，請確認。")
    return start, end, ""
