"""Site-wide pages that belong to no domain area: the home page, the health check, the dev outbox."""

import email
from email import policy

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST


def home(request):
    return render(request, "home.html")


@never_cache
@require_GET
def health(request):
    """For load balancers: the app answers and the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


def _outbox_files():
    folder = settings.MAIL_SINK_DIR
    if not folder.exists():
        return []
    return sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)


def _read_message(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def outbox(request):
    """DEBUG only: the mail that `make run`'s local SMTP sink received, newest first."""
    messages = []
    for path in _outbox_files()[:100]:
        message = _read_message(path)
        messages.append({"name": path.name, "to": message["To"], "subject": message["Subject"],
                         "date": message["Date"]})
    return render(request, "outbox.html", {"outbox": messages})


def outbox_message(request, name):
    path = settings.MAIL_SINK_DIR / name
    if "/" in name or not path.is_file():
        raise Http404
    message = _read_message(path)
    body = message.get_body(preferencelist=("plain",))
    return HttpResponse(
        f"To: {message['To']}\nSubject: {message['Subject']}\n\n{body.get_content() if body else ''}",
        content_type="text/plain; charset=utf-8",
    )


# Benchmark baselines (settings.BENCH only): the cheapest authenticated page Django can serve, and a
# sign-in without captcha for the load generator.
@csrf_exempt
@require_POST
def bench_sign_in(request):
    user = authenticate(request, national_id=request.POST.get("national_id"), password=request.POST.get("password"))
    if user is None:
        return HttpResponse("no", status=403)
    auth_login(request, user)
    return HttpResponse("ok")


@login_required
def bench_bare(request):
    return HttpResponse("ok")
