"""The statistics page and its downloads: an authority sees its area only, the central authority every unit;
filters, drill-down from city to unit, bad filters as messages (never a 500), charts with their tables."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import _staff, make_person
from volnet.records.tests.excel_files import valid_id
from volnet.units.models import Authority, StaffRole, Unit

URL = reverse("statistics:index")
YEAR = dt.date.today().year


@pytest.fixture
def figures(service_record, unit_a, other_authority, other_volunteer):
    service_record(hours="3.5", start=dt.date(YEAR, 1, 5), item="關懷訪視")
    service_record(hours="2", start=dt.date(YEAR, 2, 9), item="環境清潔")
    far = Unit.objects.create(name="臺北市遠方志工隊", authority=other_authority)
    service_record(hours="7", start=dt.date(YEAR, 1, 9), item="遠方服務", unit=far)
    return far


def signed_in(client, person):
    client.force_login(person)
    return client


def test_an_authority_sees_its_area_only(client, authority_clerk, figures):
    page = signed_in(client, authority_clerk).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "5.5" in html and "關懷訪視" in html and "臺中市政府社會局" in html
    assert "遠方服務" not in html and "臺北市" not in html
    assert '<svg class="chart" role="img"' in html and "<title id=\"chart-months-title\">" in html
    # the page covers the area through its filters: no unit switcher listing every unit of the city
    assert 'id="unit-switcher"' not in html
    assert 'id="unit-switcher"' in client.get(reverse("backoffice:services")).content.decode()


def test_the_central_authority_sees_every_unit(client, figures, authority):
    central = Authority.objects.create(code="MOHW", name="衛生福利部", level=Authority.Level.CENTRAL)

    person = make_person("A123456789", "中央承辦")
    StaffRole.objects.create(user=person, role=StaffRole.Role.AUTHORITY_STAFF, authority=central)
    html = signed_in(client, person).get(URL).content.decode()
    assert "遠方服務" in html and "關懷訪視" in html and "12.5" in html


def test_drill_down_from_city_to_unit(client, authority_clerk, figures, authority, unit_a):
    client = signed_in(client, authority_clerk)
    html = client.get(URL).content.decode()
    assert f'city={authority.pk}"' in html
    html = client.get(URL, {"city": authority.pk}).content.decode()
    assert unit_a.name in html and f'unit={unit_a.pk}"' in html
    html = client.get(URL, {"unit": unit_a.pk}).content.decode()
    assert "5.5" in html


def test_a_city_shows_its_districts_and_the_figures_follow_a_unit_that_moves(client, authority_clerk, figures,
                                                                             authority, unit_a, unit_b, volunteer):
    from volnet.units.models import Membership

    unit_a.district = "北屯區"
    unit_a.save()
    Membership.objects.create(volunteer=volunteer, unit=unit_b)
    html = signed_in(client, authority_clerk).get(URL, {"city": authority.pk}).content.decode()
    assert "各鄉鎮市區" in html and "北屯區" in html and "未填" in html
    assert '<th scope="row">社會福利類' not in html
    unit_b.category = "social_welfare"  # the unit's volunteers move with it to its new category
    unit_b.save()
    html = client.get(URL, {"category": "social_welfare"}).content.decode()
    assert '<th scope="row">社會福利類' in html


@pytest.mark.parametrize("query, message", [
    ({"year": "9999"}, "沒有 9999 這個年度"), ({"year": "abc"}, "整數"),
    ({"category": "magic"}, "沒有「magic」這個服務類別"),
    ({"city": "999999"}, "這個縣市不在您的轄區"), ({"unit": "999999"}, "這個單位不在您的轄區"),
])
def test_a_bad_filter_is_said_plainly(client, authority_clerk, figures, query, message):
    page = signed_in(client, authority_clerk).get(URL, query)
    assert page.status_code == 200 and message in page.content.decode()


def test_another_authoritys_unit_is_not_reachable_by_filter(client, authority_clerk, figures):
    html = signed_in(client, authority_clerk).get(URL, {"unit": figures.pk}).content.decode()
    assert "這個單位不在您的轄區" in html and "遠方服務" not in html


def test_a_unit_supervisor_is_refused(client, supervisor_a, figures):
    assert signed_in(client, supervisor_a).get(URL).status_code == 403


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_the_tables_download_as_a_spreadsheet(client, authority_clerk, figures, file_format):
    client = signed_in(client, authority_clerk)
    link = reverse("statistics:download", args=[file_format])
    assert f'href="{link}">' in client.get(URL).content.decode()  # a link to a page, not a `download` one
    asked = client.get(link)
    assert asked.status_code == 302 and "檔案已完成" in client.get(asked["Location"]).content.decode()
    page = client.get(asked["Location"] + "download/")
    assert page.status_code == 200
    assert page["Content-Disposition"].endswith(f'.{file_format}"')
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(page.streaming_content)))
    items = next(name for name in book.sheet_names if "服務項目" in name)
    rows = book.get_sheet_by_name(items).to_python()
    assert rows[0][0] == "服務項目" and ["關懷訪視", 3.5, 1] in [list(row) for row in rows]
    assert not any("遠方" in str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                   for cell in row)


def test_a_statistics_file_is_for_the_clerk_who_asked_only(client, authority, authority_clerk, figures):
    """Attack: another clerk of the same authority, holding the link, gets a 404 for the page and the file."""
    asked = signed_in(client, authority_clerk).get(reverse("statistics:download", args=["xlsx"]))
    client.force_login(_staff(valid_id("F", "12345678"), "同事", "authority_staff", authority=authority))
    assert client.get(asked["Location"]).status_code == 404
    assert client.get(asked["Location"] + "download/").status_code == 404
