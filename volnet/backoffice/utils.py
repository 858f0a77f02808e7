"""Small helpers the back-office views share: date filters from the query string."""

from django.utils.translation import gettext as _

from volnet.lib import rocdate


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
