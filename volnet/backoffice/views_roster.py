"""志工名冊: the unit's roster with the 管理辦法's fields, downloaded as .xlsx or .ods (people.roster)."""

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from volnet.backoffice.forms import RosterForm
from volnet.lib import spreadsheets
from volnet.people import roster
from volnet.staffweb import current_unit, staff_required


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def roster_download(request):
    unit = current_unit(request)
    form = RosterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        file_format = form.cleaned_data["format"]
        handle = roster.download(request.user, unit, file_format, include_ended=form.cleaned_data["include_ended"],
                                 full_id=form.cleaned_data["full_id"], request=request)
        response = FileResponse(handle, as_attachment=True, content_type=spreadsheets.content_type(file_format),
                                filename=roster.file_name(unit, file_format, timezone.localdate()))
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "backoffice/volunteers/roster.html", {
        "menu": "volunteers", "unit": unit, "form": form,
        "count": roster.memberships(request.user, unit).count(),
        "columns": [column.title for column in roster.COLUMNS],
    })
