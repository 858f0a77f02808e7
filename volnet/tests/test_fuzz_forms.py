"""Every POST form a visitor, a volunteer and unit staff can reach, fed random input by hypothesis:
never a 5xx, and a refused submission writes nothing."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volnet.accounts.models import User
from volnet.recruitment.models import Posting

# (who, pages whose POST forms are fuzzed). Demo data from the manual; "PASSED" opens every captcha.
START_PAGES = {
    None: ["/accounts/login/", "/accounts/password/forgot/", "/accounts/sign-up/", "/accounts/staff/login/"],
    "E122333441": ["/me/profile/", "/me/report-hours/", "/accounts/password/change/", "/honor-card/",
                   "/recruitment/{posting}/"],
    "B223456782": ["/backoffice/volunteers/add/", "/backoffice/services/add/", "/backoffice/trainings/add/",
                   "/backoffice/insurance/add/", "/backoffice/other-items/add/", "/backoffice/awards/add/",
                   "/backoffice/services/grid/", "/backoffice/services/pending/", "/backoffice/record-books/apply/",
                   "/recruitment/manage/new/", "/albums/manage/new/", "/backoffice/excel/",
                   "/backoffice/eligibility/?tab=eligible"],
}
# Tables that record the attempt itself rather than its content.
BOOKKEEPING = {"accounts.signinevent", "accounts.spentcaptcha", "audit.auditentry", "sessions.session",
               "honorcard.cardtoken"}


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("file", "submit", "button"):
                return
            self._form["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_on(client, page):
    response = client.get(page)
    assert response.status_code == 200, page
    parser = FormParser()
    parser.feed(response.content.decode())
    return [(urljoin(page, form["action"]), form["fields"]) for form in parser.forms
            if "logout" not in form["action"]]


VALUES = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.text(alphabet="0123456789/年月日.-~ ", max_size=12),
    st.integers(-10**12, 10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["PASSED", "E122333441", "A123456788", "114/02/29", "115/03/01", "1", "0", "-1", "24.5",
                     "x" * 5000, "\u202e\u0000", "'; DROP TABLE x;--", "=HYPERLINK(\"x\")", "😀" * 50]),
)


def counts():
    return {m._meta.label_lower: m.objects.count() for m in apps.get_models()
            if m._meta.label_lower not in BOOKKEEPING and not m._meta.proxy}


def refused(response):
    if response.streaming:  # a download (the Excel export): nothing was refused
        return False
    body = response.content.decode(errors="replace")
    return response.status_code in (400, 403, 404, 405, 429) or (
        response.status_code == 200 and ("errorlist" in body or "form-errors" in body or 'aria-invalid="true"' in body))


@pytest.mark.parametrize("who", list(START_PAGES), ids=["visitor", "volunteer", "supervisor"])
def test_no_form_answers_random_input_with_a_server_error(who, client, demo, settings_captcha):
    if who:
        client.force_login(User.objects.get(national_id=who))
    posting = Posting.objects.filter(title="社區長者電話問安志工").get().pk
    targets = [target for page in START_PAGES[who] for target in forms_on(client, page.format(posting=posting))]
    assert len(targets) >= len(START_PAGES[who]), targets  # every start page has a form to fuzz

    @settings(max_examples=12, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.data())
    def fuzz(data):
        for action, fields in targets:
            payload = {name: data.draw(st.one_of(st.just(value), VALUES), label=name) for name, value in fields.items()}
            before = counts()
            response = client.post(action, payload)
            assert response.status_code < 500, (action, payload)
            if refused(response):
                changed = {k: (v, after) for (k, v), after in zip(before.items(), counts().values(), strict=True)
                           if v != after}
                assert not changed, (action, changed)

    fuzz()


@pytest.fixture
def settings_captcha(settings):
    settings.TEST_CAPTCHA = True
