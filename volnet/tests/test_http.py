"""Reading a request the same way in every view: whole numbers and `next` addresses."""

import pytest
from django.test import RequestFactory

from volnet.http import int_or_none, safe_next


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
