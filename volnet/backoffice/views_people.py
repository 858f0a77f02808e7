"""A volunteer's ID photo and a membership's 見習期, set by the unit in the back office (issue 13 item 4).

The photo goes through the portal's checks (accounts.profile.process_photo) and stands for the paper photos
an honor-card or record-book application needs; only a unit that may manage the person's account uploads
it (people.set_photo asks units.access). The trial period is the membership's, set by its unit's staff."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from volnet.accounts import profile as account_profile
from volnet.backoffice.views_volunteers import Refused, _editable, _person, _refused
from volnet.forms import AccessibleFormMixin, RocDateField
from volnet.people import services as people
from volnet.staffweb import staff_required
from volnet.units import access
from volnet.uploads import accepts_uploads


class PhotoForm(AccessibleFormMixin, forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("志工的大頭照"),
        help_text=gettext_lazy("JPEG 或 PNG，5 MB 以內，至少 150×200 像素。系統會裁成 3:4 的證件照比例，"
                               "並移除拍攝地點等資料；申請榮譽卡或紀錄冊時不必再附紙本照片。"),
        error_messages={"required": gettext_lazy("請選擇要上傳的照片。"),
                        "empty": gettext_lazy("這個檔案是空的，請重新選擇。")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class TrialForm(AccessibleFormMixin, forms.Form):
    trial_until = RocDateField(label=gettext_lazy("見習期至"), required=False,
                               help_text=gettext_lazy("民國年月日，例如 115/03/31；這天以前的服務時數不列入計算。"
                                                      "留空表示沒有見習期。"))


@accepts_uploads(account_profile.PHOTO_MAX_BYTES)
@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def volunteer_photo(request, volunteer_id):
    try:
        person, unit = _editable(request, volunteer_id)
    except Refused as error:
        return _refused(request, error)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.set_photo(actor=request.user, unit=unit, person=person, uploaded=form.cleaned_data["photo"],
                             request=request)
        except people.PeopleError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已更新 %(name)s 的大頭照；紀錄冊封面與榮譽卡申請都會使用這張照片。")
                             % {"name": person.name})
            return redirect("backoffice:volunteer", volunteer_id=person.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "backoffice/volunteers/photo.html", {
        "menu": "volunteers", "unit": unit, "person": person, "form": form}, status=status)


@never_cache
@staff_required
@require_GET
def volunteer_photo_image(request, volunteer_id):
    """The photo of someone who accepted a unit the user manages; 404 for anyone else."""
    return account_profile.photo_response(_person(request, volunteer_id))


@staff_required
@require_http_methods(["GET", "POST"])
def membership_trial(request, membership_id):
    membership = get_object_or_404(
        access.managed_memberships(request.user).select_related("unit", "volunteer"), pk=membership_id)
    form = TrialForm(request.POST or None, initial={"trial_until": membership.trial_until})
    if request.method == "POST" and form.is_valid():
        try:
            _membership, changed = people.set_trial_period(
                actor=request.user, membership=membership, trial_until=form.cleaned_data["trial_until"],
                request=request)
        except people.PeopleError as error:
            form.add_domain_error(error)
        else:
            if changed:
                messages.success(request, _("已更新 %(name)s 在 %(unit)s 的見習期。") % {
                    "name": membership.volunteer.name, "unit": membership.unit.label})
            else:
                messages.info(request, _("資料沒有變更。"))
            return redirect("backoffice:volunteer", volunteer_id=membership.volunteer_id)
    return render(request, "backoffice/volunteers/trial.html", {
        "menu": "volunteers", "unit": membership.unit, "membership": membership, "form": form})
