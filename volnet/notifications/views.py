"""通知: one page for volunteers and staff (every person has one list), its mail settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from volnet.notifications import services
from volnet.notifications.forms import MailPreferencesForm
from volnet.notifications.models import SECURITY_KINDS, Kind, Notification
from volnet.paging import paginate

PER_PAGE = 20


@never_cache
@login_required
def notification_list(request):
    page = paginate(request, Notification.objects.filter(person=request.user), PER_PAGE, query="")
    return render(request, "notifications/list.html", {"menu": "notifications", "page": page})


@never_cache
@login_required
def open_one(request, pk):
    """Marks the notification read and goes where it points (its list when it points nowhere)."""
    note = services.open_notification(request.user, pk)
    if note is None or not note.link or not url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(note.link)


@require_POST
@login_required
def read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("所有通知都已標示為已讀。"))
    return redirect("notifications:list")


@never_cache
@login_required
def mail_settings(request):
    if request.method == "POST":
        form = MailPreferencesForm(request.POST)
        if form.is_valid():
            services.set_mail_preferences(request.user, form.cleaned_data["kinds"])
            messages.success(request, _("通知信設定已儲存。"))
            return redirect("notifications:mail")
    else:
        on = [kind for kind, _label, wanted, _fixed in services.mail_preferences(request.user) if wanted]
        form = MailPreferencesForm(initial={"kinds": on})
    security = [label for kind, label in Kind.choices if kind in SECURITY_KINDS]
    return render(request, "notifications/mail.html", {"menu": "notifications", "form": form,
                                                       "security": security})
