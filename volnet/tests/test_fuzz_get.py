"""Every URL of the site, opened with GET by a visitor, a volunteer, a unit supervisor and an authority clerk,
with hostile path values and query strings: never a 5xx.

The URLs come from walking the resolver, so a new page is fuzzed without being listed here (Django's admin,
for superusers only, is left out). Path values are real: each persona crawls the links, images and form
actions of the pages it can see (demo data from the manual); what no page links to is made (links sent by
mail, one-time codes: makers()) or taken from the route's model (PATH_MODELS), the first object the persona
may open. Query parameter names are what the view modules and the helpers they import read
(`request.GET.get("…")` and friends, forms bound to `request.GET`), found by reading their source, plus
those on the crawled links, whose queries are also kept as the context a hostile value is sent in.

The hostile values: non-numeric ids, huge and negative numbers, unicode, empty values, repeated keys, very
long values and NUL bytes. A seeded generator picks them rather than hypothesis: one sweep is a few thousand
requests, too many draws for one hypothesis example, and the same requests every run make a failure
reproducible by running the test again.
"""

import ast
import datetime as dt
import importlib
import importlib.util
import inspect
import random
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from volnet.accounts.models import User

PERSONAS = {"visitor": None, "volunteer": "E122333441", "supervisor": "B223456782", "authority": "A298765437"}
START = ["/", "/me/", "/backoffice/", "/accounts/login/", "/accounts/staff/login/", "/recruitment/", "/albums/"]
SKIP_PREFIXES = ("/admin/", "/static/", "/i18n/", "/dev/")  # Django's admin and staticfiles, DEBUG-only pages
PER_ROUTE = 2  # pages crawled for each route: enough to find the ids a persona can see
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")

TEXTS = [
    "", " ", "x", "abc", "測試熊", "😀😀", "\u202e", "\x00", "a\x00b", "x" * 5000, "%", "%00", "../../etc/passwd",
    "<script>", "' OR '1'='1", "114/02/30", "115/13/01", "2026-02-30", "all", "true", "E122333441", "A123456788",
    "\ud7ff\ue000\U0010ffff", "\t\n", "NaN", "inf",
]
NUMBERS = ["-1", "0", "007", "1.5", "1e9", "-0", "99999999999999999999", str(2**63), str(-(2**63) - 1), "2147483648",
           "-" + "9" * 40, "9" * 400, "1\x00"]
PATH_INT = ["0", "1", "2147483648", str(2**63), "99999999999999999999", "9" * 60]
PATH_STR = ["x", "0", "-1", "測試", "😀", "%00", "a%00b", "x" * 3000, "..", "%2e%2e", " ", "%20", "A" * 24,
            "MA:1abc:xyz", "image.png", "audio.wav"]


# --- the URL patterns and what their views read ------------------------------------------------------------------


def routes():
    """{route: (view name, view function)} for every URL pattern outside SKIP_PREFIXES."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern),
                     namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if not ("/" + route).startswith(SKIP_PREFIXES):
                    found[route] = (namespace + (pattern.name or ""), pattern.callback)

    walk(get_resolver().url_patterns, "", "")
    return found


def _is_get(node):
    return isinstance(node, ast.Attribute) and node.attr == "GET"


def names_read(module):
    """The query parameter names a module reads: .GET.get("n"), .GET.getlist("n"), .GET["n"], "n" in .GET,
    the fields of forms bound to .GET, and date_filter's ("from", "to")."""
    tree = ast.parse(Path(module.__file__).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_get(node.func.value) \
                and node.func.attr in ("get", "getlist") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_get(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and any(_is_get(c) for c in node.comparators):
            names.add(node.left.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = node.args[0]
            if isinstance(first, ast.BoolOp):  # Form(request.GET or None)
                first = first.values[0]
            form = getattr(module, node.func.id, None)
            if _is_get(first) and inspect.isclass(form) and hasattr(form, "base_fields"):
                names.update(form.base_fields)
            if node.func.id == "date_filter":
                names.update(("from", "to"))
    return {name for name in names if isinstance(name, str)}


def helpers_of(module):
    """The project's modules a view module imports from (paging, the unit switcher, date filters…)."""
    found = []
    for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("volnet."):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.append(importlib.import_module(name if _is_module(name) else node.module))
    return [helper for helper in found if helper is not module and not helper.__name__.endswith("models")]


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def query_names(view):
    """What the view's module and the helpers it imports read from the query string."""
    module = inspect.getmodule(inspect.unwrap(view))
    names = names_read(module)
    for helper in helpers_of(module):
        names |= names_read(helper)
    return names


# --- what a persona can see ----------------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in ("href", "src", "action", "data-url", "data-src"):
            if attrs.get(attr):
                self.found.append(attrs[attr])


def crawl(client):
    """{route: [(path kwargs, query)]} for what the persona's pages link to (one query for each set of names),
    opening PER_ROUTE pages of each route."""
    seen, queue, found, opened = set(), list(START), defaultdict(list), defaultdict(int)
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen or parts.path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        entries = found[match.route]
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if len(entries) < 8 and all(set(query) != set(other) for _, other in entries):
            entries.append((match.kwargs, query))
        if opened[match.route] >= PER_ROUTE:
            continue
        opened[match.route] += 1
        response = client.get(url)
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode(errors="replace"))
        queue.extend(urljoin(parts.path, link) for link in parser.found if not link.startswith(("#", "mailto:")))
    return found


def makers(persona):
    """Real values for the addresses no page links to: links sent by mail and one-time codes."""
    from volnet.accounts import profile
    from volnet.accounts import services as accounts
    from volnet.documents import services as documents
    from volnet.honorcard import services as honorcard
    from volnet.honorcard.models import HonorCard
    from volnet.honorcard.views import PHOTO_SALT

    bear = User.objects.get(national_id="E122333441")
    user = User.objects.get(national_id=persona) if persona else bear
    card = HonorCard.objects.filter(volunteer=bear).first()
    looked_at = honorcard.check_token(honorcard.issue_token(card)[0]).check  # a 有效 check shows the photo
    raw, token = honorcard.issue_token(card)
    printed = documents.record("record_book", bear, code=documents.new_code(), data=b"%PDF-1.7 fuzz",
                               issuer="fuzz", issued_on=card.valid_from)
    return {
        "verify/<str:code>/": {"code": printed.code},
        "accounts/password/reset/<str:uidb64>/<str:token>/": resolve(urlsplit(accounts.reset_url(user)).path).kwargs,
        "accounts/sign-up/verify/<str:token>/": resolve(urlsplit(accounts.verification_url(user)).path).kwargs,
        "me/profile/email/<str:token>/": {"token": profile.email_change_token(user, "new-address@example.tw")},
        "honor-card/c/<str:token>": {"token": raw},
        "honor-card/check-photo/<str:signed>/": {"signed": signing.dumps(looked_at.pk, salt=PHOTO_SALT)},
        "honor-card/token/<int:pk>/": {"pk": token.pk},
    }


MADE = {"accounts/password/reset/<str:uidb64>/<str:token>/", "accounts/sign-up/verify/<str:token>/",
        "me/profile/email/<str:token>/", "honor-card/c/<str:token>", "honor-card/check-photo/<str:signed>/",
        "honor-card/token/<int:pk>/", "verify/<str:code>/"}
# Text path values that the pages themselves link to (the captcha's image and sound, the Excel templates, the
# statistics downloads).
LINKED = {"accounts/captcha/<str:key>/image.png", "accounts/captcha/<str:key>/audio.wav",
          "backoffice/excel/template/<str:kind>.xlsx", "backoffice/excel/template/<str:kind>.<str:file_format>",
          "backoffice/statistics/download.<str:file_format>",
          "honor-card/venues/manage/import/template.<str:file_format>",
          "me/corrections/<str:kind>/<int:record_id>/"}
# Which model a path's number names, by the beginning of the route (the longest match wins). Objects of that
# model are tried until one opens for the persona (a supervisor's page may belong to the unit not in view).
PATH_MODELS = {
    "me/services/": "records.servicerecord",
    "me/units/": "units.membership",
    "recruitment/": "recruitment.posting",
    "courses/": "courses.course",
    "courses/sessions/": "courses.session",
    "courses/certificates/": "courses.enrolment",
    "courses/manage/sessions/": "courses.session",
    "recruitment/manage/applications/": "recruitment.application",
    "albums/": "albums.album",
    "albums/photos/": "albums.photo",
    "albums/manage/photos/": "albums.photo",
    "backoffice/volunteers/": "accounts.user",
    "backoffice/memberships/": "units.membership",
    "backoffice/certificates/": "records.performancecertificate",
    "backoffice/certificates/requests/": "eligibility.certificaterequest",
    "me/certificates/<int:pk>/withdraw/": "eligibility.certificaterequest",
    "me/certificates/<int:pk>/pdf/": "records.performancecertificate",
    "backoffice/record-books/": "records.recordbookapplication",
    "backoffice/record-books/apply/": "accounts.user",
    "backoffice/record-books/issued/": "records.recordbook",
    "backoffice/services/": "records.servicerecord",
    "backoffice/trainings/": "records.trainingrecord",
    "backoffice/insurance/": "records.insurancepolicy",
    "backoffice/other-items/": "records.otheritem",
    "backoffice/awards/": "records.award",
    "me/staff-invitations/": "units.staffrole",
    "honor-card/cards/": "honorcard.honorcard",
    "honor-card/venues/manage/": "honorcard.venue",
    "backoffice/desk/units/": "units.unit",
    "backoffice/desk/staff/": "units.staffrole",
    "backoffice/reports/review/": "reports.resultsreport",
    "me/notifications/": "notifications.notification",
    "backoffice/corrections/": "records.correctionrequest",
}
# Routes with a path value nothing above makes, and why fuzzing them with made-up values only is right.
UNREACHED = {
    "backoffice/excel/imports/<str:token>/": "the token of an uploaded file (test_fuzz_forms uploads)",
    "backoffice/excel/imports/<str:token>/confirm/": "the same token, POST only",
    "backoffice/excel/imports/<str:token>/cancel/": "the same token, POST only",
    "backoffice/excel/imports/<str:token>/progress/": "the same token, once confirmed",
    "honor-card/venues/manage/import/<str:token>/": "the token of an uploaded file of venues",
    "honor-card/venues/manage/import/<str:token>/confirm/": "the same token, POST only",
    "honor-card/venues/manage/import/<str:token>/cancel/": "the same token, POST only",
    "backoffice/files/<str:token>/": "the token of a file the worker made for its asker (test_roster asks for one)",
    "backoffice/files/<str:token>/download/": "the same token, once the file is made",
}


def path_model(route):
    prefixes = [prefix for prefix in PATH_MODELS if route.startswith(prefix)]
    return apps.get_model(PATH_MODELS[max(prefixes, key=len)]) if prefixes else None


def real_values(client, route, crawled, made, probe):
    """(path values, real queries) for the route: what the persona's pages link to, else made, else objects of
    the route's model (the first the persona may open, when `probe`)."""
    if crawled:
        first = crawled[0][0]
        return first, [query for kwargs, query in crawled if kwargs == first]
    if route in made:
        return made[route], []
    model = path_model(route)
    candidates = list(model.objects.order_by("pk").values_list("pk", flat=True)[:3]) if model else []
    names = [m.group("name") for m in CONVERTER.finditer(route)]
    for pk in candidates if probe else candidates[:1]:
        kwargs = dict.fromkeys(names, pk)
        if not probe or client.get(fill(route, kwargs)).status_code == 200:
            return kwargs, []
    return {name: candidates[0] if candidates else "1" for name in names}, []


# --- the fuzz ------------------------------------------------------------------------------------------------------


def fill(route, kwargs):
    def value(match):
        raw = kwargs[match.group("name")]
        return quote(str(raw), safe="%") if match.group("kind") in (None, "str", "path") else str(raw)

    return "/" + CONVERTER.sub(value, route)


@pytest.fixture(scope="module")
def read():
    """{route: the query names its view reads}."""
    return {route: query_names(view) for route, (_name, view) in routes().items()}


def test_the_query_names_are_found_in_the_view_modules(read):
    assert {"scope", "authority", "tab", "show", "q", "page", "unit"} <= read["backoffice/eligibility/"]
    assert {"from", "to", "volunteer", "page"} <= read["backoffice/services/"]  # date_filter, paginate
    assert {"tab", "unit", "start", "end", "item"} <= read["me/record-book/"]  # a form bound to request.GET


def test_every_path_value_has_a_real_source():
    for route in routes():
        kinds = {m.group("kind") for m in CONVERTER.finditer(route)}
        if not kinds:
            continue
        known = route in MADE | LINKED | set(UNREACHED) or (kinds == {"int"} and path_model(route) is not None)
        assert known, f"{route}: add its model to PATH_MODELS (or a maker to makers()) so it is fuzzed with real ids"


def requests_for(route, url, names, queries, rng):
    """The hostile GETs of one page. On the page's own links' queries (where a parameter matters: ?scope=authority
    makes ?authority= read) or on none, each name alone gets a hostile text, then a hostile number (every other
    time behind a repeated key), so no other parameter's refusal hides it; then all names at once; then hostile
    path values."""
    bases = sorted((query for query in queries if query), key=len, reverse=True)[:2] or [{}]
    for base in bases:
        for n, name in enumerate(names):
            yield f"{url}?{urlencode({**base, name: rng.choice(TEXTS)})}"
            number = rng.choice(NUMBERS)
            yield f"{url}?{urlencode({**base, name: [rng.choice(TEXTS), number] if n % 2 else number}, doseq=True)}"
    for _ in range(2):
        yield f"{url}?{urlencode({name: rng.choice(TEXTS + NUMBERS) for name in names or ['page', 'id', 'q']})}"
    if "<" in route:
        for _ in range(2):
            yield fill(route, {m.group("name"): rng.choice(PATH_INT if m.group("kind") == "int" else PATH_STR)
                               for m in CONVERTER.finditer(route)})


@pytest.fixture
def more_objects(demo):
    """What the demo data lacks for a page to show: a pending record-book application of the supervisor's team,
    a notification for the bear (the 通知 page links to it), a correction request of the bear to that team."""
    from volnet.eligibility.models import CertificateRequest
    from volnet.notifications.services import notify
    from volnet.records.models import RecordBookApplication
    from volnet.units.models import Unit

    notify(User.objects.get(national_id="E122333441"), "card_issued", key="fuzz", params={"until": "118/12/31"},
           link="/me/honors/", mail=False)
    RecordBookApplication.objects.create(
        volunteer=User.objects.get(national_id="E122333441"), unit=Unit.objects.get(code="2-299"), kind="first",
        category="social_welfare", applied_by=User.objects.get(national_id="B223456782"))
    CertificateRequest.objects.create(  # a 績效證明書 request waiting for the supervisor (review desk, withdraw)
        volunteer=User.objects.get(national_id="E122333441"), unit=Unit.objects.get(code="2-299"), purpose="work",
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 12, 31), hours=Decimal("180"), months=24,
        counted_on=dt.date(2026, 2, 1), due_on=dt.date(2026, 2, 8), status="supervisor")
    from volnet.records import corrections
    from volnet.records.models import ServiceRecord

    bear = User.objects.get(national_id="E122333441")
    record = ServiceRecord.objects.filter(volunteer=bear, unit__code="2-299").first()
    corrections.request_correction(bear, "service", record.pk, wrong="日期錯了", should_be="115/03/02")


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_answers_hostile_get_parameters_with_a_server_error(persona, read, more_objects, settings_captcha):
    client = Client(raise_request_exception=False)
    if PERSONAS[persona]:
        client.force_login(User.objects.get(national_id=PERSONAS[persona]))
    crawled, made = crawl(client), makers(PERSONAS[persona])
    failures = []

    def get(url):
        response = client.get(url)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            failures.append(f"{response.status_code} {url[:300]}\n    {repr(error[1])[:300] if error else ''}")
        return response

    rng = random.Random(f"volnet-{persona}")
    for route in sorted(routes()):
        kwargs, queries = real_values(client, route, crawled.get(route), made, probe=PERSONAS[persona])
        url = fill(route, kwargs)
        opened = get(url).status_code == 200
        # Only a page the persona may open reads its parameters; elsewhere a few hostile tries are enough.
        names = sorted(read[route].union(*queries)) if opened else []
        for hostile in requests_for(route, url, names, queries, rng):
            get(hostile)
    assert not failures, "\n".join(failures)


@pytest.fixture
def settings_captcha(settings):
    settings.TEST_CAPTCHA = True
