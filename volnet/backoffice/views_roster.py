"""志工名冊: the unit's roster with the 管理辦法's fields, downloaded as .xlsx or .ods (people.roster), made by the
worker (records.filejobs): the staff member is shown its progress, then the file (views_files)."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from volnet.backoffice.forms import RosterForm
from volnet.http import client_ip
from volnet.lib import spreadsheets
from volnet.people import roster
from volnet.records import filejobs
from volnet.staffweb import current_unit, staff_required


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def roster_download(request):
    unit = current_unit(request)
    form = RosterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        file_format = form.cleaned_data["format"]
        include_ended = form.cleaned_data["include_ended"]
        token = filejobs.queue(
            user=request.user, maker="volnet.people.roster.make", title=_("志工名冊"), ip=client_ip(request),
            params={"unit_id": unit.pk, "file_format": file_format, "include_ended": include_ended,
                    "full_id": form.cleaned_data["full_id"]},
            total=roster.memberships(request.user, unit, include_ended=include_ended).count(),
            file_name=roster.file_name(unit, file_format, timezone.localdate()),
            content_type=spreadsheets.content_type(file_format))
        return redirect("backoffice:file_job", token=token)
    return render(request, "backoffice/volunteers/roster.html", {
        "menu": "volunteers", "unit": unit, "form": form,
        "count": roster.memberships(request.user, unit).count(),
        "columns": [column.title for column in roster.COLUMNS],
    })
