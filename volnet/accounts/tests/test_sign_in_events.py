import datetime as dt

from django.utils import timezone

from volnet.accounts.models import SignInEvent

from .helpers import text


def add(user, result="success", minutes_ago=0, **extra):
    event = SignInEvent.objects.create(user=user, result=result, ip_address="203.0.113.5", user_agent="Phone", **extra)
    SignInEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return event


def test_it_needs_a_signed_in_volunteer(client, db):
    assert client.get("/accounts/sign-ins/")["Location"].startswith("/accounts/login/")


def test_it_lists_the_volunteers_own_attempts_with_failures_in_roc_time(client, volunteer, other_volunteer):
    add(volunteer, "bad_credentials", minutes_ago=5)
    add(volunteer, "success", minutes_ago=4)
    add(other_volunteer, "locked")
    client.force_login(volunteer)
    html = text(client.get("/accounts/sign-ins/"))
    assert "登入訊息" in html and 'aria-current="page">登入訊息' in html
    assert "帳號或密碼錯誤" in html and "登入成功" in html
    assert "帳號鎖定中" not in html  # someone else's
    roc_today = f"{timezone.localdate().year - 1911:03d}/"
    assert roc_today in html and "203.0.113.5" in html


def test_it_is_paginated_twenty_a_page(client, volunteer):
    for minute in range(45):
        add(volunteer, minutes_ago=minute)
    client.force_login(volunteer)
    first = text(client.get("/accounts/sign-ins/"))
    assert first.count("<tr>") == 21  # header + 20
    assert "共有：45筆" in first and 'href="?page=2"' in first
    third = text(client.get("/accounts/sign-ins/?page=3"))
    assert third.count("<tr>") == 6
    assert client.get("/accounts/sign-ins/?page=abc").status_code == 200
    assert client.get("/accounts/sign-ins/?page=999").status_code == 200


def test_an_empty_list_says_so(client, volunteer):
    client.force_login(volunteer)
    assert "目前沒有登入紀錄" in text(client.get("/accounts/sign-ins/"))
