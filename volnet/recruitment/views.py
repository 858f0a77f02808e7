"""志工招募: public browsing and applying (base.html), and the units' pages (backoffice/layout.html)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volnet.audit.log import record
from volnet.paging import paginate
from volnet.records.choices import SERVICE_ITEMS
from volnet.recruitment import services
from volnet.recruitment.forms import ApplyForm, PostingFilterForm, PostingForm
from volnet.recruitment.models import Application, Posting
from volnet.staffweb import current_unit, remembered_unit, staff_required
from volnet.units import access

PAGE_SIZE = 10
STAFF_PAGE_SIZE = 20


def _filter_items():
    used = set(services.public_postings().values_list("service_item", flat=True).distinct())
    return SERVICE_ITEMS + sorted(used - set(SERVICE_ITEMS))


def posting_list(request):
    form = PostingFilterForm(request.GET or None, items=_filter_items())
    postings = services.with_counts(services.public_postings()).select_related("unit")
    searching = False
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            searching = True
            postings = postings.filter(
                Q(place__icontains=query) | Q(title__icontains=query) | Q(unit__name__icontains=query)
                | Q(unit__address__icontains=query) | Q(description__icontains=query)
            )
        if form.cleaned_data["item"]:
            searching = True
            postings = postings.filter(service_item=form.cleaned_data["item"])
    page = paginate(request, postings.order_by("-created_at", "-id"), PAGE_SIZE)
    return render(request, "recruitment/list.html", {"form": form, "page": page, "searching": searching})


def _detail_context(request, posting, form=None, error=None):
    application = None
    if request.user.is_authenticated:
        application = Application.objects.filter(posting=posting, volunteer=request.user).first()
    accepted = services.accepted_count(posting)
    return {
        "posting": posting,
        "application": application,
        "form": form or ApplyForm(),
        "error": error,
        "accepted": accepted,
        "places_left": max(posting.quota - accepted, 0),
        "is_open": services.is_open(posting),
        "staff_preview": not posting.is_published,
    }


def _visible_posting(request, pk):
    """Published postings for everyone; unpublished ones only for the unit's staff (as a preview)."""
    posting = get_object_or_404(Posting.objects.select_related("unit"), pk=pk)
    if not (posting.is_published and posting.unit.is_active) and not access.can_manage_unit(request.user,
                                                                                           posting.unit):
        raise Http404(_("找不到這則招募訊息。"))
    return posting


def posting_detail(request, pk):
    posting = _visible_posting(request, pk)
    return render(request, "recruitment/detail.html", _detail_context(request, posting))


@login_required
def apply(request, pk):
    posting = _visible_posting(request, pk)
    if request.method != "POST":
        return redirect("recruitment:detail", pk=posting.pk)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.apply(posting, request.user, form.cleaned_data["message"])
        except services.RecruitmentError as error:
            return render(request, "recruitment/detail.html",
                          _detail_context(request, posting, form=form, error=error.message), status=400)
        messages.success(request, _("已送出應徵「%(title)s」。單位回覆後，可在「應徵紀錄」查看結果。")
                         % {"title": posting.title})
        return redirect("recruitment:detail", pk=posting.pk)
    return render(request, "recruitment/detail.html", _detail_context(request, posting, form=form), status=400)


@login_required
@require_POST
def withdraw(request, pk):
    posting = _visible_posting(request, pk)
    application = get_object_or_404(Application, posting=posting, volunteer=request.user)
    try:
        services.withdraw(application, request.user)
    except services.RecruitmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回應徵「%(title)s」。如改變心意，可以再次應徵。") % {"title": posting.title})
    return redirect("recruitment:detail", pk=posting.pk)


# ------------------------------------------------------------------------------------------ staff pages


def _staff(request, template, context, status=200):
    return render(request, template, {"menu": "recruitment", **context}, status=status)


@staff_required
def manage(request):
    """The postings of the unit chosen in the back office's unit switcher (volnet.staffweb)."""
    unit = current_unit(request)
    postings = services.with_counts(services.managed_postings(request.user).filter(unit=unit)).select_related("unit")
    page = paginate(request, postings.order_by("-created_at", "-id"), STAFF_PAGE_SIZE)
    return _staff(request, "recruitment/manage/list.html", {"page": page, "unit": unit, "can_post": unit.is_active})


@staff_required
def posting_new(request):
    units = access.managed_units(request.user).filter(is_active=True)
    if not units.exists():
        raise Http404(_("沒有可刊登招募的單位。"))
    form = PostingForm(request.POST if request.method == "POST" else None, units=units,
                       initial={"unit": remembered_unit(request, units)})
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.save_posting(form, request.user)
        except services.RecruitmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已新增招募「%(title)s」。") % {"title": posting.title})
            return redirect("recruitment:manage_detail", pk=posting.pk)
    return _staff(request, "recruitment/manage/form.html", {"form": form, "posting": None},
                  status=400 if form.errors else 200)


@staff_required
def posting_edit(request, pk):
    posting = get_object_or_404(services.managed_postings(request.user).select_related("unit"), pk=pk)
    units = access.managed_units(request.user)
    form = PostingForm(request.POST if request.method == "POST" else None, instance=posting, units=units,
                       accepted=services.accepted_count(posting))
    if posting.applications.exists():
        # Accepted volunteers joined this unit: the posting cannot move to another one.
        form.fields["unit"].disabled = True
        form.fields["unit"].help_text = _("已有人應徵，不能更換招募單位。")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_posting(form, request.user)
        except services.RecruitmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已儲存招募內容。"))
            return redirect("recruitment:manage_detail", pk=posting.pk)
    return _staff(request, "recruitment/manage/form.html", {"form": form, "posting": posting},
                  status=400 if form.errors else 200)


@staff_required
def manage_detail(request, pk):
    posting = get_object_or_404(
        services.with_counts(services.managed_postings(request.user)).select_related("unit"), pk=pk
    )
    status = request.GET.get("status", "")
    applications = posting.applications.select_related("volunteer", "decided_by").order_by("-applied_at", "-id")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    page = paginate(request, applications, STAFF_PAGE_SIZE)
    if page.object_list:
        # The applicants' contact data is personal data seen by staff: log who looked.
        record("recruitment.applicants.viewed", actor=request.user, unit=posting.unit, obj=posting,
               request=request, changes={"volunteers": [a.volunteer_id for a in page.object_list]})
    tabs = [("", _("全部"))] + [(value, label) for value, label in Application.Status.choices]
    return _staff(request, "recruitment/manage/detail.html", {
        "posting": posting, "page": page, "status": status, "tabs": tabs,
        "places_left": max(posting.quota - posting.accepted_count, 0),
        "public_url": request.build_absolute_uri(reverse("recruitment:detail", args=[posting.pk])),
    })


def _managed_application(request, pk):
    return get_object_or_404(
        Application.objects.filter(posting__in=services.managed_postings(request.user)).select_related(
            "posting", "volunteer"
        ),
        pk=pk,
    )


@staff_required
@require_POST
def accept(request, pk):
    application = _managed_application(request, pk)
    try:
        _accepted, membership, joined = services.accept(application, request.user)
    except services.RecruitmentError as error:
        messages.error(request, error.message)
    else:
        name = application.volunteer.name
        if joined:
            messages.success(request, _("已錄取 %(name)s，並加入%(unit)s成為服務中志工。")
                             % {"name": name, "unit": membership.unit.name})
        else:
            messages.success(request, _("已錄取 %(name)s（已是本單位服務中志工，未重複加入）。") % {"name": name})
    return redirect("recruitment:manage_detail", pk=application.posting_id)


@staff_required
@require_POST
def decline(request, pk):
    application = _managed_application(request, pk)
    try:
        services.decline(application, request.user)
    except services.RecruitmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已回覆 %(name)s 未錄取。") % {"name": application.volunteer.name})
    return redirect("recruitment:manage_detail", pk=application.posting_id)
