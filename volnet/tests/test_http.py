"""Reading a request the same way in every view: whole numbers, `next` addresses and the client's address."""

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from volnet.http import client_ip, int_or_none, safe_next


@pytest.mark.parametrize(("value", "number"), [("12", 12), (" 7 ", 7), ("abc", None), ("", None), (None, None),
                                              (["3"], None), ("1.5", None)])
def test_an_id_from_a_form_is_a_number_or_nothing(value, number):
    assert int_or_none(value) == number


@pytest.mark.parametrize(("target", "followed"), [
    ("/me/services/?tab=hours", "/me/services/?tab=hours"),
    ("http://testserver/me/", "http://testserver/me/"),
    ("https://evil.example/login", "/home/"),
    ("//evil.example/login", "/home/"),
    ("javascript:alert(1)", "/home/"),
    ("", "/home/"),
    (None, "/home/"),
])
def test_a_next_address_is_followed_only_within_the_site(target, followed):
    request = RequestFactory().get("/")
    assert safe_next(request, target, "/home/") == followed


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "client"), [
    (0, "203.0.113.9", None, "203.0.113.9"),
    (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: the header is the visitor's own words
    (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
    (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the visitor wrote stays on the left
    (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    (1, "10.0.0.2", None, "10.0.0.2"),
    (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    (1, "10.0.0.2", " 2001:db8::1 ", "2001:db8::1"),
    (2, "10.0.0.3", "198.51.100.1", "10.0.0.3"),  # fewer entries than proxies: none of them is believed
    (0, "", None, "0.0.0.0"),
])
def test_the_client_address_believes_x_forwarded_for_only_as_far_as_the_trusted_proxies(
        settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra)) == client


def test_django_ratelimits_address_key_is_the_same_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def limited(forwarded):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        return is_ratelimited(request, group="test.client-ip", key="ip", rate="1/m", increment=True)

    assert not limited("6.6.6.1, 198.51.100.1")
    assert limited("6.6.6.2, 198.51.100.1")  # the same visitor, whatever they wrote in front
    assert not limited("198.51.100.2")  # another visitor behind the same proxy


# Where a request says who sent it: the socket's address, and the headers a proxy (or the client) writes.
ADDRESS_KEYS = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "X-Forwarded-For",
                "X-Real-IP", "Forwarded"}
VOLNET = Path(__file__).resolve().parents[1]


def _address_reads(path):
    """Line numbers where `path` reads a client-address key: `x["REMOTE_ADDR"]` or `x.get("REMOTE_ADDR")`.
    Writing one (a dict literal that stands in for a request) is not reading it."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript):
            key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            key = node.args[0] if node.args else None
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.strip() in ADDRESS_KEYS:
            lines.append(node.lineno)
    return lines


def test_the_client_address_is_read_in_one_place_only():
    """Throttles, the audit log, sign-in events and venue checks all ask volnet.http.client_ip: a second
    reader of REMOTE_ADDR or X-Forwarded-For would disagree with it behind a proxy (every visitor the
    proxy's address) or believe a header the client wrote (a throttle dodged)."""
    readers = {
        str(path.relative_to(VOLNET.parent)): lines
        for path in sorted(VOLNET.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "http.py"
        for lines in [_address_reads(path)] if lines
    }
    assert readers == {}, f"read the client's address with volnet.http.client_ip instead: {readers}"


@pytest.mark.parametrize(("who", "url"), [
    ("supervisor", "/backoffice/volunteers/?q=%00"),
    ("supervisor", "/backoffice/trainings/?q=1%00"),
    ("supervisor", "/backoffice/audit/?action=1%00"),
    ("clerk", "/backoffice/record-books/issued/?q=a%00b"),
    ("visitor", "/recruitment/?q=%00"),
])
def test_a_nul_byte_in_the_query_string_is_a_page_saying_the_address_is_wrong(client, supervisor_a, authority_clerk,
                                                                             who, url):
    # PostgreSQL refuses NUL in text (a DataError, so a 500 before); no one types one, so the address is refused.
    if who != "visitor":
        client.force_login(supervisor_a if who == "supervisor" else authority_clerk)
    response = client.get(url)
    assert response.status_code == 400
    assert "網址有誤" in response.content.decode()
