"""Mixed traffic for `make loadtest` (driven by bench/loadtest.py, which sets the environment).

Volunteers sign in through the real form (reading the captcha the way a person reads the image: from
the server's session store, shared in Redis), browse 服務紀錄, query and download the record book;
staff sign in and enter hours; venue staff check honor-card QR codes. Requests alternate between the
two app processes, so sessions, lockouts and counters must be shared.
"""

import itertools
import os
import random
import re
import uuid

import django
from locust import HttpUser, between, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volnet.settings")
django.setup()

from django.contrib.sessions.backends.cache import SessionStore  # noqa: E402

HOSTS = os.environ["LOAD_HOSTS"].split(",")
VOLUNTEERS = open(os.environ["LOAD_VOLUNTEERS"]).read().split()
TOKENS = itertools.cycle(open(os.environ["LOAD_TOKENS"]).read().split())
STAFF = ("B223456782", "Supervisor-2026")
VOLUNTEER_PASSWORD = "Generated-2026"
_volunteer_ids = itertools.cycle(VOLUNTEERS)


def _field(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def captcha_answer(session_key, key):
    store = SessionStore(session_key=session_key).load()
    return store["volnet_captcha"][key][0]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    host = HOSTS[0]

    def url(self, path):
        return random.choice(HOSTS) + path

    def sign_in(self, login_path, national_id, password, landing):
        page = self.client.get(self.url(login_path), name=login_path)
        key = _field(page.text, "captcha_key")
        data = {
            "csrfmiddlewaretoken": _field(page.text, "csrfmiddlewaretoken"),
            "national_id": national_id,
            "password": password,
            "captcha_key": key,
            "captcha": captcha_answer(self.client.cookies.get("sessionid"), key),
        }
        with self.client.post(self.url(login_path), data=data, name=f"{login_path} POST", catch_response=True) as r:
            if landing not in r.url:
                r.failure(f"sign-in did not land on {landing}: {r.url}")

    def get(self, path, name=None, expect=None):
        with self.client.get(self.url(path), name=name or path, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif expect and expect not in r.text:
                r.failure(f"missing {expect!r}")
            return r


class Volunteer(SignedIn):
    weight = 6

    def on_start(self):
        self.national_id = next(_volunteer_ids)
        self.sign_in("/accounts/login/", self.national_id, VOLUNTEER_PASSWORD, "/me/")

    @task(4)
    def service_hours(self):
        self.get("/me/services/?tab=services", name="服務時數", expect="服務時數")

    @task(2)
    def record_book_query(self):
        self.get("/me/record-book/?start=113/01/01&end=115/12/31", name="紀錄冊列印 查詢", expect="共有")

    @task(1)
    def record_book_pdf(self):
        with self.client.get(self.url("/me/record-book/download/"), name="紀錄冊 PDF", catch_response=True) as r:
            if r.status_code != 200 or not r.content.startswith(b"%PDF"):
                r.failure(f"not a PDF (HTTP {r.status_code})")

    @task(1)
    def sign_in_again(self):
        page = self.get("/me/", name="我的檔案")
        self.client.post(self.url("/accounts/logout/"),
                         data={"csrfmiddlewaretoken": _field(page.text, "csrfmiddlewaretoken")},
                         name="logout")
        self.sign_in("/accounts/login/", self.national_id, VOLUNTEER_PASSWORD, "/me/")


class Staff(SignedIn):
    weight = 1

    def on_start(self):
        self.sign_in("/accounts/staff/login/", *STAFF, "/backoffice/")

    @task(2)
    def dashboard(self):
        self.get("/backoffice/", name="後台總覽")

    @task(1)
    def enter_hours(self):
        form = self.get("/backoffice/services/add/", name="登錄時數 表單")
        select = re.search(r'<select name="volunteer".*?</select>', form.text, re.S)
        volunteers = re.findall(r'<option value="(\d+)"', select.group(0)) if select else []
        if not volunteers:
            form.failure("no volunteer to choose")
            return
        day = random.randrange(1, 28)
        data = {
            "csrfmiddlewaretoken": _field(form.text, "csrfmiddlewaretoken"),
            "volunteer": random.choice(volunteers),
            "service_item": "綜合服務",
            "content": f"負載測試 {uuid.uuid4().hex[:8]}",
            "start_date": f"115/{random.randrange(1, 11):02d}/{day:02d}",
            "end_date": "",
            "hours": "1",
        }
        with self.client.post(self.url("/backoffice/services/add/"), data=data, name="登錄時數 POST",
                              catch_response=True) as r:
            if r.status_code != 200 or "/backoffice/services/add/" in r.url:
                r.failure(f"hours not saved (HTTP {r.status_code}, {r.url})")


class Venue(HttpUser):
    weight = 2
    wait_time = between(0.5, 2)
    host = HOSTS[0]

    @task
    def check(self):
        path = next(TOKENS)
        with self.client.get(random.choice(HOSTS) + path, name="榮譽卡驗證", catch_response=True,
                             headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile"}) as r:
            if r.status_code != 200 or not any(v in r.text for v in ("有效", "已使用", "已逾時", "卡片已失效")):
                r.failure(f"no verdict (HTTP {r.status_code})")
