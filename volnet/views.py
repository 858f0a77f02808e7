"""Site-wide pages that belong to no domain area: the home page, the health check, the dev outbox."""

import email
from email import policy

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST


def home(request):
    """The front page, with the QR code to the site that posters and the manual show (掃描前台 QRcode)."""
    return render(request, "home.html", {"site_qr": site_qr(), "site_url": settings.SITE_URL})


def site_qr():
    """The site's address as an inline SVG QR code, named for screen readers (the same for every visitor)."""
    name = gettext("志願服務資訊網 QR code")
    svg = segno.make(settings.SITE_URL.rstrip("/") + "/", error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr__image site-qr__image",
        lineclass=None, title=name)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(name)}" ', 1))


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
