"""紀錄冊申請 (志工後台, menu "books"): units apply for their members; the competent authority decides.

Unit staff see the applications of the units they manage (units.access.managed_units); staff of a
unit's competent authority (units.access.authorities_of) issue, renew, replace, reject and cancel.
The rules live in volnet.records.books.
"""


from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from volnet.accounts.queries import people_filter
from volnet.audit.log import record
from volnet.forms import RocDateField
from volnet.paging import paginate
from volnet.records import books
from volnet.records.choices import ServiceCategory
from volnet.records.models import RecordBook, RecordBookApplication, TrainingRecord
from volnet.records.queries import current_record_book
from volnet.staffweb import authority_required, staff_required
from volnet.units import access
from volnet.units.models import Membership

PER_PAGE = 20
Status = RecordBookApplication.Status
KIND_HELP = {
    books.Kind.FIRST: gettext_lazy("第一次申請紀錄冊：須完成基礎訓練與該類別特殊訓練。"),
    books.Kind.RENEWED: gettext_lazy("紀錄冊已寫滿或需更新：發新冊後，舊冊自動註銷。"),
    books.Kind.REPLACED: gettext_lazy("紀錄冊遺失或毀損：請在申請說明寫明原因；發新冊後，舊冊自動註銷。"),
}


# ------------------------------------------------------------------------------------------------ forms


class ApplicationForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("申請單位"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=gettext_lazy("申請類別"),
                             choices=RecordBookApplication._meta.get_field("kind").choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=pgettext_lazy("the category of a record book", "紀錄冊類別"),
                                 choices=[("", gettext_lazy("請選擇"))] + list(ServiceCategory.choices))
    note = forms.CharField(label=gettext_lazy("申請說明"), required=False, max_length=200,
                           help_text=gettext_lazy("補發請寫原因（遺失或毀損）；其他情況可留空。"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.label
        self.fields["kind"].help_text = pgettext("between two sentences", "　").join(
            _("%(kind)s：%(help)s") % {"kind": label, "help": KIND_HELP[value]}
            for value, label in self.fields["kind"].choices
        )


class IssueForm(forms.Form):
    issued_on = RocDateField(label=gettext_lazy("發冊日期"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200}))


class CancelBookForm(ReasonForm):
    cancelled_on = RocDateField(label=gettext_lazy("註銷日期"))


# ------------------------------------------------------------------------------------------- querysets


def _visible_applications(user):
    return RecordBookApplication.objects.filter(unit__in=access.managed_units(user)).select_related(
        "volunteer", "unit", "unit__authority", "book", "applied_by", "decided_by"
    )


def _authority_ids(user):
    return set(access.authorities_of(user).values_list("pk", flat=True))


def _trainings(volunteer):
    """The basic and special trainings the book is judged on: those that count (books.eligibility)."""
    return TrainingRecord.objects.counting().filter(
        volunteer=volunteer, kind__in=[TrainingRecord.Kind.BASIC, TrainingRecord.Kind.SPECIAL]
    ).order_by("kind", "-start_date")


def _page(request, template, context, status=200):
    context = {"menu": "books", **context}
    if "is_authority" not in context:
        context["is_authority"] = access.is_authority_staff(request.user)
    return render(request, template, context, status=status)


# ------------------------------------------------------------------------------------------------ pages


@staff_required
def application_list(request):
    status = request.GET.get("status", Status.PENDING)
    units = access.managed_units(request.user)
    applications = RecordBookApplication.objects.filter(unit__in=units).select_related(
        "volunteer", "unit", "book"
    ).order_by("-applied_at", "-id")
    if status in Status.values:
        applications = applications.filter(status=status)
    else:
        status = "all"
    page = paginate(request, applications, PER_PAGE)
    authority_ids = _authority_ids(request.user)
    for application in page.object_list:
        application.decidable = application.unit.authority_id in authority_ids
    to_decide = RecordBookApplication.objects.filter(
        status=Status.PENDING, unit__authority_id__in=authority_ids, unit__in=units
    ).count() if authority_ids else 0
    tabs = [(value, label) for value, label in Status.choices] + [("all", _("全部"))]
    return _page(request, "backoffice/books/list.html", {
        "page": page, "status": status, "tabs": tabs, "is_authority": bool(authority_ids), "to_decide": to_decide,
        "can_apply": True,
    })


@staff_required
def apply_search(request):
    query = request.GET.get("q", "").strip()[:30]
    results = []
    if query:
        memberships = Membership.objects.active().filter(
            people_filter(query, "volunteer__"), unit__in=access.managed_units(request.user).filter(is_active=True)
        ).select_related("volunteer", "unit")
        people = {}
        for membership in memberships.order_by("volunteer__name", "volunteer_id")[:200]:
            people.setdefault(membership.volunteer, []).append(membership.unit)
        valid = {book.volunteer_id: book for book in RecordBook.objects.valid().filter(
            volunteer__in=list(people)).select_related("authority")}
        pending = set(RecordBookApplication.objects.filter(volunteer__in=list(people), status=Status.PENDING)
                      .values_list("volunteer_id", flat=True))
        results = [{"volunteer": person, "units": units, "book": valid.get(person.pk), "pending": person.pk in pending}
                   for person, units in list(people.items())[:50]]
    return _page(request, "backoffice/books/apply_search.html", {"query": query, "results": results})


@staff_required
def apply_for(request, volunteer_pk):
    volunteer = get_object_or_404(access.managed_volunteers(request.user, active_only=True), pk=volunteer_pk)
    units = access.managed_units(request.user).filter(is_active=True).served_by(volunteer)
    book = current_record_book(volunteer)
    latest_special = _trainings(volunteer).filter(kind=TrainingRecord.Kind.SPECIAL).first()
    initial = {
        "kind": books.Kind.RENEWED if book else books.Kind.FIRST,
        "category": book.category if book else (latest_special.category if latest_special else ""),
        "unit": units.first(),
    }
    form = ApplicationForm(request.POST if request.method == "POST" else None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = books.apply(actor=request.user, unit=form.cleaned_data["unit"], volunteer=volunteer,
                                      kind=form.cleaned_data["kind"], category=form.cleaned_data["category"],
                                      note=form.cleaned_data["note"])
        except books.BookError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已送出 %(name)s 的紀錄冊%(kind)s申請，請等候%(authority)s審核。") % {
                "name": volunteer.name, "kind": application.get_kind_display(),
                "authority": application.unit.authority.name})
            return redirect("backoffice:books_detail", pk=application.pk)
    elif request.method != "POST":
        record("records.book_roster.viewed", actor=request.user, volunteer=volunteer, unit=units.first(),
               request=request)
    kind = form.data.get("kind") if form.is_bound else initial["kind"]
    category = form.data.get("category") if form.is_bound else initial["category"]
    return _page(request, "backoffice/books/apply_form.html", {
        "volunteer": volunteer, "roster": books.roster(volunteer), "form": form, "book": book,
        "check": books.eligibility(volunteer, kind, category), "trainings": _trainings(volunteer),
        "pending": books.pending_application(volunteer),
    }, status=400 if form.errors else 200)


def _detail(request, application, issue_form=None, reject_form=None, status=200):
    decidable = application.status == Status.PENDING and books.can_decide(request.user, application)
    check = books.eligibility(application.volunteer, application.kind, application.category)
    return _page(request, "backoffice/books/detail.html", {
        "application": application,
        "volunteer": application.volunteer,
        "roster": books.roster(application.volunteer),
        "trainings": _trainings(application.volunteer),
        "book": check.book,
        "check": check,
        "decidable": decidable,
        "withdrawable": application.status == Status.PENDING and not decidable,
        "issue_form": issue_form or IssueForm(initial={"issued_on": timezone.localdate()}),
        "reject_form": reject_form or ReasonForm(),
    }, status=status)


@staff_required
def application_detail(request, pk):
    application = get_object_or_404(_visible_applications(request.user), pk=pk)
    record("records.book_roster.viewed", actor=request.user, volunteer=application.volunteer, unit=application.unit,
           obj=application, request=request)
    return _detail(request, application)


@authority_required
@require_POST
def issue(request, pk):
    application = get_object_or_404(_visible_applications(request.user), pk=pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            book = books.issue(application, actor=request.user, issued_on=form.cleaned_data["issued_on"])
        except books.BookError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已發給 %(name)s 紀錄冊，冊號 %(number)s。") % {
                "name": application.volunteer.name, "number": book.number})
            return redirect("backoffice:books_detail", pk=application.pk)
    return _detail(request, application, issue_form=form, status=400)


@authority_required
@require_POST
def reject(request, pk):
    application = get_object_or_404(_visible_applications(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            books.reject(application, actor=request.user, reason=form.cleaned_data["reason"])
        except books.BookError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已駁回 %(name)s 的申請，申請單位會看到原因。") % {
                "name": application.volunteer.name})
            return redirect("backoffice:books_detail", pk=application.pk)
    return _detail(request, application, reject_form=form, status=400)


@staff_required
@require_POST
def withdraw(request, pk):
    application = get_object_or_404(_visible_applications(request.user), pk=pk)
    try:
        books.withdraw(application, actor=request.user)
    except books.BookError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回申請。"))
    return redirect("backoffice:books_detail", pk=application.pk)


# ------------------------------------------------------------------------------ the authority's registry


def _issued_books(user):
    return RecordBook.objects.filter(authority__in=access.authorities_of(user)).select_related(
        "volunteer", "authority", "applied_by"
    )


@authority_required
def issued(request):
    query = request.GET.get("q", "").strip()[:30]
    status = request.GET.get("status", "")
    found = _issued_books(request.user).order_by("-issued_on", "-id")
    if query:
        found = found.filter(Q(number__icontains=query) | people_filter(query, "volunteer__"))
    if status == "valid":
        found = found.valid()
    elif status == "cancelled":
        found = found.filter(status=RecordBook.Status.CANCELLED)
    page = paginate(request, found, PER_PAGE)
    return _page(request, "backoffice/books/issued.html", {"page": page, "query": query, "status": status})


@authority_required
def cancel_book(request, pk):
    book = get_object_or_404(_issued_books(request.user), pk=pk)
    form = CancelBookForm(request.POST if request.method == "POST" else None,
                          initial={"cancelled_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            books.cancel_book(book, actor=request.user, reason=form.cleaned_data["reason"],
                              on=form.cleaned_data["cancelled_on"])
        except books.BookError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已註銷紀錄冊 %(number)s。此冊號不會再發給他人。") % {"number": book.number})
            return redirect("backoffice:books_issued")
    return _page(request, "backoffice/books/cancel.html", {"book": book, "form": form},
                 status=400 if form.errors else 200)
