"""National traffic for `make loadtest` (driven by bench/loadtest.py, which sets the environment).

- Volunteers (most of the traffic): every visit is the next sampled volunteer, so nearly every page is that
  volunteer's first view. A share of visits (LOAD_SIGN_IN_SHARE) starts at the real sign-in form, reading
  the captcha the way a person reads the image: from the server's session store, shared in Redis; the
  others come with a session made beforehand. Then 我的檔案, 服務時數, sometimes 紀錄冊列印 and its PDF.
- Unit supervisors enter a month's hours for their whole unit in the 每月時數登錄 grid (a different unit
  and month each visit), as every unit does in the last days of a month.
- Venue staff check honor-card QR codes (a fresh code each).
- Authority clerks read the statistics, now and then.

Requests alternate between the two app processes, so sessions, lockouts and counters must be shared. Each
request carries its name in X-Load-Name for the CPU hooks (bench/cpu_hooks.py).
"""

import itertools
import os
import random
import re
import urllib.parse

import django
from locust import HttpUser, between, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volnet.settings")
django.setup()

from bench.util import captcha_code, form_value  # noqa: E402


def _lines(variable):
    return [line.split() for line in open(os.environ[variable], encoding="utf-8").read().splitlines() if line]


HOSTS = os.environ["LOAD_HOSTS"].split(",")
PASSWORD = os.environ["LOAD_PASSWORD"]
SIGN_IN_SHARE = float(os.environ["LOAD_SIGN_IN_SHARE"])
MARKER = os.environ["LOAD_MARKER"]
VOLUNTEERS = itertools.cycle(_lines("LOAD_VOLUNTEERS"))  # national ID, session key
# every (month, unit) once: a month's hours are entered once per unit
GRID_VISITS = iter([(month, session, unit) for month in os.environ["LOAD_MONTHS"].split(",")
                    for session, unit in _lines("LOAD_STAFF")])
CLERKS = [session for (session,) in _lines("LOAD_CLERKS")]
TOKENS = itertools.cycle(open(os.environ["LOAD_TOKENS"]).read().split())


def _boxes(html):
    """The grid's hours boxes, one per volunteer: h-<volunteer id>."""
    return re.findall(r'name="(h-\d+)"', html)


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    host = HOSTS[0]

    def call(self, method, path, name, expect=None, check=None, **kwargs):
        """One request to either app process, named in locust's table and in X-Load-Name; a failure unless
        it answers 200 (after redirects), shows `expect` and `check(response)` finds nothing wrong."""
        headers = {"X-Load-Name": urllib.parse.quote(name), **kwargs.pop("headers", {})}
        with self.client.request(method, random.choice(HOSTS) + path, name=name, headers=headers,
                                 catch_response=True, **kwargs) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif expect and expect not in r.text:
                r.failure(f"missing {expect!r}")
            elif check and (problem := check(r)):
                r.failure(problem)
            return r

    def arrive_with(self, session_key):
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")

    def sign_in(self, national_id):
        self.client.cookies.clear()
        page = self.call("GET", "/accounts/login/", "登入頁")
        key = form_value(page.text, "captcha_key")
        data = {
            "csrfmiddlewaretoken": form_value(page.text, "csrfmiddlewaretoken"),
            "national_id": national_id,
            "password": PASSWORD,
            "captcha_key": key,
            "captcha": captcha_code(self.client.cookies.get("sessionid"), key),
        }
        self.call("POST", "/accounts/login/", "登入 POST", data=data,
                  check=lambda r: "/me/" not in r.url and f"sign-in did not land on /me/: {r.url}")


class Volunteer(Visitor):
    weight = 14

    @task
    def visit(self):
        national_id, session_key = next(VOLUNTEERS)
        if random.random() < SIGN_IN_SHARE:
            self.sign_in(national_id)  # lands on 我的檔案
        else:
            self.arrive_with(session_key)
            self.call("GET", "/me/", "我的檔案")
        self.wait()
        self.call("GET", "/me/services/?tab=services", "服務時數", expect="服務時數")
        if random.random() < 0.3:
            self.wait()
            self.call("GET", "/me/record-book/?start=110/01/01&end=115/12/31", "紀錄冊列印 查詢", expect="共有")
            if random.random() < 0.2:
                self.call("GET", "/me/record-book/download/", "紀錄冊 PDF",
                          check=lambda r: not r.content.startswith(b"%PDF") and "not a PDF")


class UnitSupervisor(Visitor):
    weight = 1

    @task
    def enter_month(self):
        month, session_key, unit = next(GRID_VISITS)
        self.arrive_with(session_key)
        path = f"/backoffice/services/grid/?unit={unit}&month={month}"
        page = self.call("GET", path, "每月時數登錄", check=lambda r: not _boxes(r.text) and "no volunteer in the grid")
        rows = _boxes(page.text)
        if not rows:
            return
        self.wait()
        data = {"csrfmiddlewaretoken": form_value(page.text, "csrfmiddlewaretoken"), "unit": unit,
                "start": form_value(page.text, "start"), "end": form_value(page.text, "end"),
                "item": form_value(page.text, "item"), "content": MARKER,
                **{box: random.choice(["1", "2", "3.5", "4"]) for box in rows}}
        self.call("POST", path, "每月時數登錄 POST", data=data,
                  check=lambda r: not re.search(r"已登錄 \d+ 位志工", r.text) and f"hours not saved: {r.url}")


class Venue(Visitor):
    weight = 3

    @task
    def check(self):
        self.client.cookies.clear()
        verdicts = ("有效", "已使用", "已逾時", "卡片已失效")
        self.call("GET", next(TOKENS), "榮譽卡驗證", headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile"},
                  check=lambda r: not any(v in r.text for v in verdicts) and "no verdict")


class Clerk(Visitor):
    weight = 1
    wait_time = between(5, 15)

    @task
    def statistics(self):
        self.arrive_with(random.choice(CLERKS))
        self.call("GET", "/backoffice/statistics/", "統計 (主管機關)", expect="統計")
