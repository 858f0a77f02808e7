"""Small helpers the account tests share (no fakes of our own code)."""

import re

from conftest import PASSWORD

CAPTCHA_KEY = re.compile(r'name="captcha_key" value="([^"]+)"')


def captcha_key(response):
    match = CAPTCHA_KEY.search(response.content.decode())
    assert match, "the page has no captcha"
    return match.group(1)


def real_code(client, key):
    """What the image shows: read from the session, as the image endpoint does."""
    return client.session["volnet_captcha"][key][0]


def solve(client, response):
    """The fields a person who read the captcha would send."""
    key = captcha_key(response)
    return {"captcha_key": key, "captcha": real_code(client, key)}


def login_data(national_id="E122333441", password=PASSWORD, captcha="PASSED"):
    return {"national_id": national_id, "password": password, "captcha": captcha, "captcha_key": "unused"}


def text(response):
    return response.content.decode()
