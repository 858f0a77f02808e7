"""Checks that docs/security.md cites for OWASP ASVS 4.0.3 lines no other test covers: session binding and
cookies, sign-out, one-time TOTP codes, CSRF on every address, no built-in accounts, the content security
policy, escaping of stored text (pages and the record-book PDF), and what the code never does (compile
user text as a template, fetch a URL, run a shell, unpickle)."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from volnet.accounts.models import User
from volnet.recordbook import book, pdf
from volnet.recordbook.queries import Filters
from volnet.recordbook.tests.pdftools import Pdf

ROOT = Path(__file__).resolve().parents[1]
LOGIN = {"national_id": "E122333441", "password": PASSWORD, "captcha": "PASSED", "captcha_key": "unused"}
STAFF = {"national_id": "B223456782", "password": PASSWORD, "captcha": "PASSED", "captcha_key": "unused"}


def _session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_gives_a_new_session_key(client, volunteer, test_captcha):
    """V3.2.1 (session fixation): a key planted before the sign-in is worth nothing after it."""
    client.get("/accounts/login/")  # the captcha opens an anonymous session
    planted = _session_key(client)
    assert client.post("/accounts/login/", LOGIN).status_code == 302
    assert _session_key(client) != planted
    from django.contrib.sessions.backends.db import SessionStore

    assert SessionStore(session_key=planted).load() == {}  # the old key opens nothing


def test_the_second_factor_step_gives_a_new_session_key_too(client, supervisor_a, test_captcha):
    """V3.2.1: the half-signed-in session (password given, code not yet) is not the one that signs in."""
    device = TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    assert client.post("/accounts/staff/login/", STAFF)["Location"] == "/accounts/staff/login/code/"
    half = _session_key(client)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/staff/login/code/", {"code": code})["Location"] == "/backoffice/"
    assert _session_key(client) != half


def test_the_session_cookie_is_long_random_httponly_and_samesite(client, volunteer, test_captcha):
    """V3.2.2, V3.2.3, V3.4.2, V3.4.3 (V3.4.1, Secure, is checked by `check --deploy` in test_deploy)."""
    response = client.post("/accounts/login/", LOGIN)
    morsel = response.cookies[settings.SESSION_COOKIE_NAME]
    assert re.fullmatch(r"[a-z0-9]{32}", morsel.value)  # Django's CSPRNG key: about 165 bits
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert morsel.value not in response["Location"]


def test_a_session_cookie_kept_after_signing_out_opens_nothing(client, volunteer, test_captcha):
    """V3.3.1: signing out ends the session on the server, not just in the browser."""
    client.post("/accounts/login/", LOGIN)
    kept = _session_key(client)
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    client.cookies[settings.SESSION_COOKIE_NAME] = kept  # the back button, or a copied cookie
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_totp_code_signs_in_once_only(client, supervisor_a, test_captcha):
    """V2.8.4: a code seen over a shoulder cannot be used again within its 30 seconds."""
    device = TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/accounts/staff/login/", STAFF)
    assert client.post("/accounts/staff/login/code/", {"code": code})["Location"] == "/backoffice/"
    client.post("/accounts/logout/")
    client.post("/accounts/staff/login/", STAFF)
    again = client.post("/accounts/staff/login/code/", {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session


def _callbacks(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _callbacks(entry)
        elif isinstance(entry, URLPattern):
            yield entry.callback


def test_no_address_of_the_site_is_exempt_from_csrf(db):
    """V4.2.4, V13.2.3: every POST anywhere needs the CSRF token (the only exempt view, the benchmark sign-in,
    is routed only under VOLNET_BENCH, which refuses public hosts: test_deploy)."""
    exempt = [f"{cb.__module__}.{cb.__name__}" for cb in _callbacks() if getattr(cb, "csrf_exempt", False)]
    assert not exempt


def test_a_fresh_database_has_no_accounts(db):
    """V2.5.4: no default or shared account comes with the system; the first administrator is made with
    `createsuperuser` (demo accounts come only from `seed_demo`)."""
    assert not User.objects.exists()


def test_the_content_security_policy_allows_no_inline_script_or_eval(client, db):
    """V5.2.4, V5.3.3, V5.3.6, V12.3.6: scripts from this site only, never inline, never eval."""
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp


HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>{{ 7|add:7 }}<b>'


def test_stored_text_is_shown_as_text_on_the_page_and_in_the_pdf(client, volunteer, service_record):
    """V5.3.1, V5.3.3, V5.2.5: what a unit typed is escaped in HTML, never run as a template, and is plain
    text in the record-book PDF (ReportLab's paragraph markup would otherwise read <img src=…>)."""
    record = service_record(content=HOSTILE, start=dt.date(2025, 3, 3))
    client.force_login(volunteer)
    html = client.get(f"/me/services/{record.pk}/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;" in html
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "14" not in html.split("add:7")[0][-5:]
    document = Pdf(pdf.render(book.assemble(volunteer, Filters(), dt.date(2026, 11, 25))).getvalue())
    printed = "".join(document.flat().split())  # the cell wraps the text over lines
    assert "<imgsrc=x" in printed and "onerror=alert(1)" in printed and "<script>alert(2)</script>" in printed


def _code_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


# What no request may reach: (module or name, why) — V5.2.4, V5.2.5, V5.2.6, V5.3.8, V5.5.3, V12.6.1.
FORBIDDEN_CALLS = {"eval", "exec", "from_string", "Template", "urlopen", "system", "popen", "loads"}
FORBIDDEN_IMPORTS = {"pickle", "marshal", "shelve", "yaml", "requests", "httpx", "urllib.request", "http.client"}
# Commands a maintainer runs that start programs with fixed arguments, never from a request: the captcha's
# recordings built with espeak-ng, and `make run` starting a Celery worker beside the development server.
ALLOWED = {("accounts/management/commands/make_captcha_voice.py", "subprocess"),
           ("accounts/management/commands/rundev.py", "subprocess")}


def test_no_code_compiles_user_text_fetches_urls_runs_shells_or_unpickles():
    found = []
    for path, tree in _code_modules():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in FORBIDDEN_CALLS and not (name == "loads" and _is_signing_or_json(node)):
                    found.append((where, name))
                if any(k.arg == "shell" for k in node.keywords):
                    found.append((where, "shell="))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in filter(None, names):
                    if name in FORBIDDEN_IMPORTS or name.split(".")[0] in FORBIDDEN_IMPORTS - {"urllib", "http"}:
                        found.append((where, name))
                    if name == "subprocess" and (where, name) not in ALLOWED:
                        found.append((where, name))
    assert not found


def _is_signing_or_json(node):
    """signing.loads (signed, salted, timed) and json.loads parse data, never objects."""
    owner = getattr(node.func, "value", None)
    return getattr(owner, "id", None) in {"signing", "json"}


@pytest.mark.parametrize("path", ["/static/", "/media/", "/.git/HEAD", "/static/../manage.py", "/var/secret_key",
                                  "/volnet/settings.py", "/static/css/", "/media/photos/"])
def test_nothing_is_browsable_beyond_the_sites_own_pages(client, db, path):
    """V4.3.2, V12.5.1: no directory listing, no source, no private file by its path."""
    assert client.get(path).status_code == 404


LONG = "長 passphrase 有空格 and Ünïcode 字元 1 A " + "志工" * 40  # 120 characters: spaces, CJK, a digit, cases


def test_a_long_passphrase_with_spaces_and_unicode_is_kept_whole(client, volunteer, test_captcha):
    """V2.1.2, V2.1.3, V2.1.4: 64 characters and more, spaces and any Unicode are taken, and nothing is cut
    off: the same passphrase with its last character changed does not sign in."""
    from volnet.accounts import services

    assert len(LONG) > 64
    services.change_password(volunteer, LONG)
    assert client.post("/accounts/login/", {**LOGIN, "password": LONG[:-1] + "X"}).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/login/", {**LOGIN, "password": LONG})["Location"] == "/me/"


def test_password_boxes_let_password_managers_fill_and_paste(client, volunteer):
    """V2.1.11: the boxes name what they hold (autocomplete) and no script blocks paste."""
    login = client.get("/accounts/login/").content.decode()
    assert 'type="password" name="password" autocomplete="current-password"' in login
    client.force_login(volunteer)
    change = client.get("/accounts/password/change/").content.decode()
    assert change.count('autocomplete="new-password"') == 2
    assert "paste" not in login + change


def _model_forms(cls=None):
    from django import forms

    for sub in (cls or forms.ModelForm).__subclasses__():
        if sub.__module__.startswith("volnet."):
            yield sub
        yield from _model_forms(sub)


def test_model_forms_name_every_field_they_take():
    """V5.1.2 (mass assignment): a model form takes only the fields it lists; no "__all__", no exclude."""
    import volnet.albums.forms  # noqa: F401  the project's model forms
    import volnet.recruitment.forms  # noqa: F401

    found = list(_model_forms())
    assert found
    for form in found:
        fields = form._meta.fields
        assert isinstance(fields, list | tuple) and form._meta.exclude is None, form


@pytest.mark.parametrize("typed", ["a@example.tw\r\nBcc: b@example.tw", "a@example.tw\nSubject: x",
                                   "a@example.tw, b@example.tw"])
def test_an_address_with_a_second_header_or_recipient_is_refused(typed):
    """V5.2.3 (SMTP injection): an address is one address; Django's mail refuses a header with a line break."""
    from django.core.exceptions import ValidationError
    from django.core.mail import BadHeaderError, EmailMessage

    from volnet.accounts.forms import SignUpForm

    with pytest.raises(ValidationError):
        SignUpForm.base_fields["email"].clean(typed)
    if "\n" in typed:
        with pytest.raises((BadHeaderError, ValueError)):
            EmailMessage("x", "y", "from@example.tw", [typed]).message()
