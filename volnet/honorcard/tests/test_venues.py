"""榮譽卡優惠場所: the rules, the actions, the Excel import (.xlsx, .ods saved by LibreOffice, a bad row), the
authority's pages with their tenancy, and the public search that never answers a bad filter with a 500."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from volnet.audit.models import AuditEntry
from volnet.honorcard import venues
from volnet.honorcard.models import Venue
from volnet.records import imports
from volnet.tests import office

HEADER = [column.title for column in venues.COLUMNS]


def values(**changes):
    data = {"name": "臺中市立美術館", "city": "臺中市", "district": "西區", "category": "culture",
            "benefit": "持卡本人免費入館", "address": "臺中市西區五權西路一段2號", "phone": "04-2372-3552",
            "opening_hours": "週二至週日 9:00-17:00", "valid_from": dt.date(2026, 1, 1), "valid_to": None}
    return {**data, **changes}


def row(**changes):
    cells = {"name": "臺中市立美術館", "city": "台中市", "district": "西區", "category": "文教設施",
             "benefit": "持卡本人免費入館", "address": "臺中市西區五權西路一段2號", "phone": "04-2372-3552",
             "opening_hours": "週二至週日", "valid_from": "115/01/01", "valid_to": ""}
    cells.update(changes)
    return [cells[column.key] for column in venues.COLUMNS]


def xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def venue(authority):
    return Venue.objects.create(authority=authority, **values())


@pytest.fixture
def other_venue(other_authority):
    data = values(name="臺北市立美術館", city="臺北市", district="中山區", address="臺北市中山區中山北路三段181號")
    return Venue.objects.create(authority=other_authority, **data)


@pytest.fixture
def other_clerk(other_authority):
    from conftest import _staff

    return _staff("F222222222", "王小華", "authority_staff", authority=other_authority)


# --- the rules ---------------------------------------------------------------------------------------


def test_a_venue_needs_its_facts_a_city_of_taiwan_a_category_and_a_period_in_order():
    assert venues.problems(values()) == {}
    found = venues.problems(values(name="", city="東京都", category="zoo", valid_from=dt.date(2026, 5, 1),
                                   valid_to=dt.date(2026, 4, 30)))
    assert set(found) == {"name", "city", "category", "valid_to"}
    assert "早於起日" in found["valid_to"]
    assert "name" in venues.problems(values(name="館" * 101))


def test_taiwan_is_written_either_way_and_a_short_city_name_is_understood():
    assert {venues.normalise_city(text) for text in ("台中市", "臺中", "臺中市")} == {"臺中市"}
    assert venues.normalise_city("台北") == "臺北市"


def test_only_venues_not_ended_and_within_their_period_are_valid_today(authority):
    today = dt.date(2026, 6, 1)
    make = lambda name, **kw: Venue.objects.create(authority=authority, **values(name=name, **kw))  # noqa: E731
    make("無期限")
    make("期間內", valid_to=dt.date(2026, 6, 1))
    make("已過期", valid_to=dt.date(2026, 5, 31))
    make("未開始", valid_from=dt.date(2026, 6, 2))
    make("已停止", ended_at=timezone.now())
    assert sorted(Venue.objects.valid_on(today).values_list("name", flat=True)) == ["期間內", "無期限"]


def test_the_search_matches_every_word_in_name_district_address_or_benefit(authority, venue):
    Venue.objects.create(authority=authority, **values(name="東勢林場", district="東勢區", category="scenic",
                                                       address="臺中市東勢區勢林街6-1號", benefit="門票免費"))
    today = dt.date(2026, 6, 1)
    names = lambda **params: [v.name for v in venues.search(venues.read_search(params), today)]  # noqa: E731
    assert names(q="美術館 西區") == ["臺中市立美術館"]
    assert set(names(q="臺中 免費")) == {"臺中市立美術館", "東勢林場"}
    assert names(category="scenic") == ["東勢林場"]
    assert names(city="台中") == names(city="臺中市") and len(names(city="臺中市")) == 2
    assert names(city="臺北市") == []


def test_bad_filters_are_set_aside_with_a_message():
    search = venues.read_search({"city": "火星市", "category": "<script>", "q": "一 二 三 四 五 六 七"})
    assert search.city == "" and search.category == ""
    assert set(search.problems) == {"city", "category", "q"}
    assert len(search.words) == venues.MAX_WORDS


# --- actions -----------------------------------------------------------------------------------------


def test_a_clerk_adds_changes_and_ends_a_venue_each_step_audited(authority_clerk, authority):
    venue = venues.create(actor=authority_clerk, authority=authority, data=values())
    with pytest.raises(venues.VenueError) as twice:
        venues.create(actor=authority_clerk, authority=authority, data=values())
    assert twice.value.code == "duplicate"
    venues.update(actor=authority_clerk, venue=venue, data=values(benefit="持卡本人半價"))
    with pytest.raises(venues.VenueError) as no_reason:
        venues.end(actor=authority_clerk, venue=venue, reason=" ")
    assert no_reason.value.field == "reason"
    venues.end(actor=authority_clerk, venue=venue, reason="館舍整修")
    venue.refresh_from_db()
    assert venue.benefit == "持卡本人半價" and venue.ended_reason == "館舍整修"
    assert not Venue.objects.valid_on(timezone.localdate()).filter(pk=venue.pk).exists()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["honorcard.venue.created", "honorcard.venue.updated", "honorcard.venue.ended"]
    assert AuditEntry.objects.get(action="honorcard.venue.updated").changes == {
        "benefit": ["持卡本人免費入館", "持卡本人半價"]}


def test_unit_staff_and_another_authority_cannot_keep_these_venues(supervisor_a, other_clerk, authority, venue):
    for actor in (supervisor_a, other_clerk):
        with pytest.raises(venues.VenueError) as refused:
            venues.create(actor=actor, authority=authority, data=values(name="新場所"))
        assert refused.value.code == "forbidden"
        with pytest.raises(venues.VenueError):
            venues.update(actor=actor, venue=venue, data=values(benefit="改掉"))
        with pytest.raises(venues.VenueError):
            venues.end(actor=actor, venue=venue, reason="停")
    venue.refresh_from_db()
    assert venue.benefit == "持卡本人免費入館" and venue.ended_at is None


# --- the import --------------------------------------------------------------------------------------


def test_a_good_file_imports_every_row_and_a_known_place_is_updated(authority_clerk, authority, venue):
    data = xlsx([row(benefit="持卡本人與一位陪同者免費"),
                 row(name="東勢林場", district="東勢區", category="風景遊憩區", address="臺中市東勢區勢林街6-1號",
                     valid_from="115/02/01", valid_to="117/12/31")])
    check = venues.check_file(data, authority)
    assert check.ok and check.rows[0].warnings and not check.rows[1].warnings
    outcome = venues.import_file(data, actor=authority_clerk, authority=authority, file_name="場所.xlsx")
    assert outcome.created == 2
    venue.refresh_from_db()
    assert venue.benefit == "持卡本人與一位陪同者免費"
    new = Venue.objects.get(name="東勢林場")
    assert (new.city, new.category, new.valid_from, new.valid_to) == (
        "臺中市", "scenic", dt.date(2026, 2, 1), dt.date(2028, 12, 31))
    entry = AuditEntry.objects.get(action="honorcard.venue.imported")
    assert entry.changes["created"] == 1 and entry.changes["updated"] == 1


def test_a_bad_row_stops_the_whole_file_and_is_named_by_its_row_number(authority_clerk, authority):
    data = xlsx([row(name="甲館", address="甲路1號"),
                 row(name="乙館", address="乙路1號", city="東京都", valid_from="2026/01/01"),
                 row(name="丙館", address="丙路1號"),
                 row(name="甲館", address="甲路1號")])
    outcome = venues.import_file(data, actor=authority_clerk, authority=authority)
    assert outcome.created == 0 and not Venue.objects.exists()
    assert venues.bad_lines(outcome.check) == [3, 5]
    errors = outcome.check.rows[1].errors
    assert any(e.startswith("縣市：") for e in errors) and any("西元年" in e for e in errors)
    assert "第 2 列" in outcome.check.rows[3].errors[0]


def test_an_ods_saved_by_libreoffice_imports_like_the_xlsx(authority_clerk, authority):
    data = xlsx([row(), row(name="東勢林場", address="東勢", category="不知道")])
    saved = office.convert(data, "xlsx", "ods")
    assert saved[30:38] == b"mimetype"
    from_ods, from_xlsx = venues.check_file(saved, authority), venues.check_file(data, authority)
    assert [(r.line, r.cells, r.errors) for r in from_ods.rows] == [(r.line, r.cells, r.errors) for r in from_xlsx.rows]
    assert [r.status for r in from_ods.rows] == [imports.OK, imports.ERROR]


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_the_template_with_its_example_row_imports_cleanly(authority, file_format):
    from volnet.lib import spreadsheets

    template = venues.build_template(file_format)
    assert imports.inspect_file(template) == []
    columns = [spreadsheets.Column(column.title, text=True) for column in venues.COLUMNS]
    filled = spreadsheets.write_table([[column.example for column in venues.COLUMNS]], columns, file_format)
    assert venues.check_file(filled, authority).ok


def test_a_file_of_another_template_is_refused_saying_which_columns_are_missing(authority):
    with pytest.raises(imports.ImportFileError) as refused:
        venues.check_file(xlsx([row()[:3]], header=HEADER[:3]), authority)
    assert refused.value.code == "missing_columns" and "類別" in refused.value.message


# --- the pages ---------------------------------------------------------------------------------------


def test_the_clerk_adds_a_venue_on_the_page_and_a_bad_period_keeps_what_was_typed(client, authority_clerk):
    client.force_login(authority_clerk)
    form = {"name": "臺中市立美術館", "city": "臺中市", "district": "西區", "category": "culture",
            "benefit": "免費", "address": "五權西路一段2號", "phone": "04-2372-3552", "opening_hours": "",
            "valid_from": "115/05/01", "valid_to": "115/04/30"}
    refused = client.post(reverse("honorcard:venue_add"), form)
    assert refused.status_code == 400
    assert "優惠期間迄日早於起日" in refused.content.decode() and 'value="五權西路一段2號"' in refused.content.decode()
    done = client.post(reverse("honorcard:venue_add"), {**form, "valid_to": ""})
    assert done.status_code == 302 and Venue.objects.get().valid_to is None


def test_the_import_pages_preview_then_commit_all_or_nothing(client, authority_clerk, settings, tmp_path):
    settings.VOLNET_IMPORT_DIR = tmp_path
    client.force_login(authority_clerk)
    for file_format in ("xlsx", "ods"):
        template = client.get(reverse("honorcard:venue_template", args=[file_format]))
        assert template.status_code == 200 and file_format in template["Content-Disposition"]
    bad = io.BytesIO(xlsx([row(), row(name="乙", address="乙", valid_to="114/01/01")]))
    bad.name = "場所.xlsx"
    preview = client.post(reverse("honorcard:venue_import"), {"file": bad}, follow=True)
    page = preview.content.decode()
    assert "有錯誤的列：第 3 列" in page and "確認匯入" not in page
    good = io.BytesIO(xlsx([row(), row(name="乙", address="乙")]))
    good.name = "場所.xlsx"
    preview = client.post(reverse("honorcard:venue_import"), {"file": good})
    token = preview.url.rstrip("/").rsplit("/", 1)[1]
    assert "確認匯入 2 筆" in client.get(preview.url).content.decode()
    done = client.post(reverse("honorcard:venue_confirm", args=[token]), follow=True)
    assert "已匯入 2 個優惠場所" in done.content.decode() and Venue.objects.count() == 2


def test_another_authority_cannot_see_edit_or_end_these_venues(client, other_clerk, venue, supervisor_a):
    client.force_login(other_clerk)
    assert venue.name not in client.get(reverse("honorcard:venues")).content.decode()
    assert client.get(reverse("honorcard:venue_edit", args=[venue.pk])).status_code == 404
    assert client.post(reverse("honorcard:venue_edit", args=[venue.pk]), {"action": "end", "reason": "x"}
                       ).status_code == 404
    client.force_login(supervisor_a)
    assert client.get(reverse("honorcard:venues")).status_code == 403
    venue.refresh_from_db()
    assert venue.ended_at is None


def test_an_upload_of_one_clerk_is_not_anothers(client, authority_clerk, other_clerk, authority, settings, tmp_path):
    from volnet.records import staging

    settings.VOLNET_IMPORT_DIR = tmp_path
    data = xlsx([row()])
    token = staging.stage(user=authority_clerk, authority=authority, kind=venues.KIND, file_name="a.xlsx", data=data,
                          check=venues.check_file(data, authority))
    client.force_login(other_clerk)
    assert client.get(reverse("honorcard:venue_preview", args=[token])).status_code == 404
    assert client.post(reverse("honorcard:venue_confirm", args=[token])).status_code == 404
    assert not Venue.objects.exists()


def test_an_expired_upload_asks_for_a_new_one_and_imports_nothing(client, authority_clerk, authority, settings,
                                                                  tmp_path, clock):
    from volnet.records import staging

    settings.VOLNET_IMPORT_DIR = tmp_path
    data = xlsx([row()])
    token = staging.stage(user=authority_clerk, authority=authority, kind=venues.KIND, file_name="a.xlsx", data=data,
                          check=venues.check_file(data, authority))
    clock.shift(dt.timedelta(seconds=staging.ttl_seconds() + 1))
    client.force_login(authority_clerk)
    response = client.post(reverse("honorcard:venue_confirm", args=[token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("honorcard:venue_import")
    assert "請重新上傳" in response.content.decode()
    assert not Venue.objects.exists() and not list(tmp_path.iterdir())


def test_the_public_search_needs_no_sign_in_and_shows_only_valid_venues(client, venue, other_venue, authority):
    Venue.objects.create(authority=authority, **values(name="已停止的館", ended_at=timezone.now()))
    page = client.get(reverse("honorcard:venue_search"), {"city": "臺中市"}).content.decode()
    assert venue.name in page and other_venue.name not in page and "已停止的館" not in page
    assert reverse("honorcard:venue_check") in page


@pytest.mark.parametrize("params", [
    {"city": "火星"}, {"category": "x" * 500}, {"q": "\x00"}, {"page": "-1"}, {"page": "9999"},
    {"q": "%" * 300}, {"city": ["臺中市", "臺北市"]},
])
def test_bad_filters_give_a_page_never_a_500(client, venue, params):
    response = client.get(reverse("honorcard:venue_search"), params)
    assert response.status_code in (200, 400)


def test_the_check_help_leads_to_the_venue_check_page(client):
    page = client.get(reverse("honorcard:venue_check"))
    assert page.status_code == 200
    link = "https://volnet.example/honor-card/c/abcdefghijklmnopqrstuvwx"
    assert client.get(reverse("honorcard:venue_check"), {"code": link}).url == reverse(
        "honorcard:check", args=["abcdefghijklmnopqrstuvwx"])
    refused = client.get(reverse("honorcard:venue_check"), {"code": "??"})
    assert refused.status_code == 400 and "看不懂這個代碼" in refused.content.decode()


def test_the_demo_has_a_dozen_venues_in_taichung(demo):
    found = Venue.objects.valid_on(timezone.localdate())
    assert found.count() == 12 and set(found.values_list("city", flat=True)) == {"臺中市"}
