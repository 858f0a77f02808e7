"""每月時數登錄: many volunteers at once, all or nothing, errors on their cells, values kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.backoffice.views_grid import parse_month
from volnet.lib.rocdate import RocDateError
from volnet.records.models import ServiceRecord
from volnet.units.models import Membership

URL = reverse("backoffice:service_grid")


@pytest.fixture
def second(unit_a):
    person = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=person, unit=unit_a, volunteer_number="002")
    return person


@pytest.fixture
def as_a(staff_client, supervisor_a, volunteer):
    return staff_client(supervisor_a)


def grid(volunteer, second, **cells):
    data = {"start": "114/03/01", "end": "114/03/31", "item": "綜合服務", "content": "電話問安",
            f"h-{volunteer.pk}": "", f"h-{second.pk}": ""}
    data.update(cells)
    return data


def test_a_month_is_read_in_the_roc_calendar():
    today = dt.date(2026, 11, 25)
    assert parse_month("115/03", today) == dt.date(2026, 3, 1)
    assert parse_month("11503", today) == dt.date(2026, 3, 1)
    assert parse_month("115年3月", today) == dt.date(2026, 3, 1)
    assert parse_month("１１５－０３", today) == dt.date(2026, 3, 1)  # full-width, as every date field folds
    assert parse_month("", today) == dt.date(2026, 11, 1)
    with pytest.raises(RocDateError):
        parse_month("115/13", today)


def test_one_row_per_active_member(as_a, volunteer, second, unit_a):
    gone = make_person("F222222222", "已離隊")
    Membership.objects.create(volunteer=gone, unit=unit_a, status="ended", joined_on=dt.date(2024, 1, 1),
                              left_on=dt.date(2025, 1, 1))
    response = as_a.get(URL, {"month": "114/03"})
    assert [row["volunteer"] for row in response.context["rows"]] == [volunteer, second]
    html = response.content.decode()
    assert 'value="114/03/01"' in html and 'value="114/03/31"' in html


def test_the_grid_saves_every_filled_row_with_defaults_and_row_overrides(as_a, volunteer, second, supervisor_a):
    response = as_a.post(URL + "?month=114/03", grid(volunteer, second, **{
        f"h-{volunteer.pk}": "12", f"h-{second.pk}": "3.5", f"content-{second.pk}": "關懷訪視",
    }))
    assert response.status_code == 302
    rows = {r.volunteer: r for r in ServiceRecord.objects.all()}
    assert rows[volunteer].hours == Decimal("12") and rows[volunteer].content == "電話問安"
    assert rows[second].content == "關懷訪視"
    assert {r.registrant for r in rows.values()} == {supervisor_a}
    assert rows[second].start_date == dt.date(2025, 3, 1) and rows[second].end_date == dt.date(2025, 3, 31)


def test_one_bad_cell_saves_nothing_and_keeps_every_value(as_a, volunteer, second):
    response = as_a.post(URL, grid(volunteer, second, **{
        f"h-{volunteer.pk}": "12", f"h-{second.pk}": "3.55", f"item-{second.pk}": "老人服務",
    }))
    html = response.content.decode()
    assert not ServiceRecord.objects.exists()
    assert "最多一位小數" in html
    assert f'id="h-{volunteer.pk}" value="12"' in html
    assert f'id="h-{second.pk}" value="3.55"' in html and 'value="老人服務"' in html
    assert f'aria-describedby="err-h-{second.pk}"' in html
    assert "尚未儲存任何資料" in html


def test_rules_of_the_service_reach_the_right_cell(as_a, volunteer, second):
    response = as_a.post(URL, grid(volunteer, second, **{f"h-{volunteer.pk}": "745", f"h-{second.pk}": "2"}))
    row = next(r for r in response.context["rows"] if r["volunteer"] == volunteer)
    assert "超過這 31 天最多的 744 小時" in row["errors"]["hours"]
    assert not ServiceRecord.objects.exists()


def test_an_empty_grid_or_bad_dates_are_explained(as_a, volunteer, second):
    html = as_a.post(URL, grid(volunteer, second)).content.decode()
    assert "請至少輸入一位志工的時數" in html
    html = as_a.post(URL, grid(volunteer, second, start="114/02/30", **{f"h-{volunteer.pk}": "1"})).content.decode()
    assert "不存在" in html and 'value="114/02/30"' in html
    assert not ServiceRecord.objects.exists()


def test_a_row_without_content_anywhere_is_refused(as_a, volunteer, second):
    response = as_a.post(URL, grid(volunteer, second, content="", **{f"h-{volunteer.pk}": "2"}))
    row = next(r for r in response.context["rows"] if r["volunteer"] == volunteer)
    assert "請輸入服務內容" in row["errors"]["content"]


def test_hours_already_entered_for_the_period_are_shown(as_a, volunteer, second, service_record):
    service_record(hours="5", start=dt.date(2025, 3, 10))
    response = as_a.get(URL, {"month": "114/03"})
    row = next(r for r in response.context["rows"] if r["volunteer"] == volunteer)
    assert row["entered"] == Decimal("5")


def test_saving_the_same_month_twice_is_caught_as_a_duplicate(as_a, volunteer, second):
    data = grid(volunteer, second, **{f"h-{volunteer.pk}": "12"})
    as_a.post(URL, data)
    html = as_a.post(URL, data).content.decode()
    assert "已經有一筆相同的服務紀錄" in html
    assert ServiceRecord.objects.count() == 1


def test_a_large_unit_is_entered_page_by_page(as_a, volunteer, second, monkeypatch):
    from volnet.backoffice import views_grid

    monkeypatch.setattr(views_grid, "ROWS_PER_PAGE", 1)
    first_page = as_a.get(URL, {"month": "114/03"})
    assert [row["volunteer"] for row in first_page.context["rows"]] == [volunteer]
    assert "只儲存這一頁" in first_page.content.decode()
    response = as_a.post(URL + "?month=114/03&page=2", grid(volunteer, second, **{
        f"h-{volunteer.pk}": "99", f"h-{second.pk}": "4",
    }))
    assert response["Location"].endswith("page=2")
    assert [(r.volunteer, r.hours) for r in ServiceRecord.objects.all()] == [(second, Decimal("4"))]


def test_a_content_longer_than_its_column_is_refused_in_its_cell_and_kept(as_a, volunteer, second):
    limit = ServiceRecord._meta.get_field("content").max_length
    too_long = "關" * (limit + 1)
    response = as_a.post(URL, grid(volunteer, second, **{f"h-{volunteer.pk}": "2", f"content-{volunteer.pk}": too_long,
                                                         f"h-{second.pk}": "3"}))
    row = next(r for r in response.context["rows"] if r["volunteer"] == volunteer)
    assert row["errors"]["content"] == f"服務內容最多 {limit} 字。"
    html = response.content.decode()
    assert f'value="{too_long}"' in html and f'maxlength="{limit}"' in html
    assert not ServiceRecord.objects.exists()
    as_a.post(URL, grid(volunteer, second, **{f"h-{volunteer.pk}": "2", f"content-{volunteer.pk}": too_long[1:]}))
    assert ServiceRecord.objects.get().content == too_long[1:]  # exactly the column's length is saved


def test_a_default_content_too_long_is_shown_at_the_default_box(as_a, volunteer, second):
    limit = ServiceRecord._meta.get_field("content").max_length
    response = as_a.post(URL, grid(volunteer, second, content="問" * (limit + 1), **{f"h-{volunteer.pk}": "2"}))
    html = response.content.decode()
    assert f'<p class="field-error" id="content-error">服務內容最多 {limit} 字。</p>' in html
    assert not ServiceRecord.objects.exists()


def test_hours_finer_or_larger_than_their_column_are_refused_in_their_cell(as_a, volunteer, second):
    column = ServiceRecord._meta.get_field("hours")
    finer = "1." + "5" * (column.decimal_places + 1)
    larger = "9" * (column.max_digits - column.decimal_places + 1)
    response = as_a.post(URL, grid(volunteer, second, **{f"h-{volunteer.pk}": finer, f"h-{second.pk}": larger}))
    errors = {r["volunteer"]: r["errors"].get("hours") for r in response.context["rows"]}
    assert errors == {volunteer: "時數最多一位小數，例如 3.5。", second: "時數過大，請確認。"}
    html = response.content.decode()
    assert f'id="h-{volunteer.pk}" value="{finer}"' in html and f'id="h-{second.pk}" value="{larger}"' in html
    assert not ServiceRecord.objects.exists()


def test_hours_without_an_item_anywhere_or_an_item_without_hours_are_explained(as_a, volunteer, second):
    response = as_a.post(URL, grid(volunteer, second, item="", **{f"h-{volunteer.pk}": "2",
                                                                  f"item-{second.pk}": "老人服務"}))
    errors = {r["volunteer"]: r["errors"] for r in response.context["rows"]}
    assert errors[volunteer] == {"service_item": "請輸入服務項目（或在上方填寫預設項目）。"}
    assert errors[second] == {"hours": "請輸入時數，或清空這一列的項目與內容。"}
