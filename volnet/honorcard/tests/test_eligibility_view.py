"""資格查詢 (back office): a unit's volunteers, or an authority's units, with the reasons."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.lib import rocdate
from volnet.units.models import Membership

QUERY = reverse("eligibility:query")


@pytest.fixture
def ready(build, volunteer):
    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 1600)
    return volunteer


def test_the_query_is_for_staff_only(client, volunteer):
    assert client.get(QUERY).status_code == 302
    client.force_login(volunteer)
    assert client.get(QUERY).status_code == 403


def test_the_unit_sees_each_volunteer_with_the_reason(client, supervisor_a, build, volunteer):
    build.basic(dt.date(2021, 10, 1))
    build.book(dt.date(2021, 10, 1))
    client.force_login(supervisor_a)
    html = client.get(QUERY).content.decode()
    assert "測試熊" in html and "E12233****" in html and "E122333441" not in html
    assert "缺特殊訓練（社會福利類）" in html and "缺證件照" in html


def test_an_eligible_volunteer_gets_an_apply_button(client, supervisor_a, ready):
    client.force_login(supervisor_a)
    html = client.get(QUERY).content.decode()
    assert "申請榮譽卡" in html
    html = client.get(QUERY + "?tab=health").content.decode()
    assert "申請銅質" in html and "時數不足" not in html
    html = client.get(QUERY + "?tab=medal").content.decode()
    assert "時數不足 1600/3000" in html


def test_the_eligible_tab_lists_only_those_who_qualify_for_something(client, supervisor_a, ready, unit_a, build):
    other = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=other, unit=unit_a, joined_on=dt.date(2024, 1, 1))
    client.force_login(supervisor_a)
    html = client.get(QUERY + "?tab=eligible").content.decode()
    assert "測試熊" in html and "王小明" not in html
    assert "銅質徽章" in html
    html = client.get(QUERY + "?tab=honor_card&show=no").content.decode()
    assert "王小明" in html and "測試熊" not in html


def test_search_by_name_or_id(client, supervisor_a, ready, unit_a):
    other = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=other, unit=unit_a, joined_on=dt.date(2024, 1, 1))
    client.force_login(supervisor_a)
    html = client.get(QUERY, {"q": "王小"}).content.decode()
    assert "王小明" in html and "測試熊" not in html
    html = client.get(QUERY, {"q": "e1223"}).content.decode()
    assert "測試熊" in html and "王小明" not in html
    assert "找不到符合「李」的志工" in client.get(QUERY, {"q": "李"}).content.decode()


def test_unit_b_does_not_see_unit_as_volunteers(client, supervisor_b, ready, other_volunteer, unit_a):
    client.force_login(supervisor_b)
    html = client.get(QUERY).content.decode()
    assert "陳大同" in html and "測試熊" not in html
    assert client.get(QUERY, {"unit": unit_a.pk}).status_code == 404
    assert "本機關所屬全部單位" not in html
    assert client.get(QUERY, {"scope": "authority"}).status_code == 404


def test_the_authority_sees_every_unit_and_cannot_apply(client, authority_clerk, ready, other_volunteer):
    client.force_login(authority_clerk)
    html = client.get(QUERY, {"scope": "authority", "tab": "health"}).content.decode()
    assert "測試熊" in html and "陳大同" in html
    assert "臺中市志願服務推廣中心志工隊" in html
    assert "由服務單位申請" in html and "申請銅質" not in html


def test_a_bad_authority_in_the_address_falls_back_to_the_clerks_own_authority(client, authority_clerk, ready):
    client.force_login(authority_clerk)
    for value in ("x", "-1", "99999999999999999999999", "1.5"):
        response = client.get(QUERY, {"scope": "authority", "authority": value})
        assert response.status_code == 200, value
        assert "測試熊" in response.content.decode()


def test_hundreds_of_volunteers_cost_a_fixed_number_of_queries(client, supervisor_a, unit_a, build):
    from volnet.lib import twid

    client.force_login(supervisor_a)
    client.get(QUERY)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(QUERY)
    for n in range(40):
        body = f"A1{n:07d}"
        number = body + str((10 - _weighted(body) % 10) % 10)
        person = make_person(twid.validate(number), f"志工{n}")
        Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2021, 1, 1))
        build.ready(dt.date(2021, 1, 4), volunteer=person)
        build.hours(dt.date(2022, 1, 1), 100, volunteer=person)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUERY)
    assert response.status_code == 200 and "志工39" in response.content.decode()
    assert len(many) == len(few)


def _weighted(body):
    letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
    value = letters.index(body[0]) + 10
    digits = [value // 10, value % 10] + [int(c) for c in body[1:]]
    return sum(d * w for d, w in zip(digits, [1, 9, 8, 7, 6, 5, 4, 3, 2, 1], strict=True))


def test_a_card_just_issued_shows_no_counting_window_rather_than_a_reversed_one(client, supervisor_a, ready, build):
    today = timezone.localdate()
    build.card(today.replace(day=1), today.replace(day=1, year=today.year + 3), counted_to=today)
    client.force_login(supervisor_a)
    html = client.get(QUERY).content.decode()
    assert "測試熊" in html
    assert f"{rocdate.format(today + dt.timedelta(days=1))}~" not in html  # the next window has not begun
