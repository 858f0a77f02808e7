"""A volunteer sees only their own data; another person's object by URL is a 404."""

import datetime as dt

import pytest

from volnet.honorcard.models import HonorCard
from volnet.portal.tests.test_query_counts import PAGES, _add_records
from volnet.records.models import ServiceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def their_records(other_volunteer, unit_b, supervisor_b, authority):
    _add_records(other_volunteer, unit_b, supervisor_b, authority, 0, 2)
    HonorCard.objects.filter(volunteer=other_volunteer, number="HC-0").update(number="THEIR-CARD")
    return other_volunteer


@pytest.mark.parametrize("url", PAGES + ["/me/services/?tab=services&page=1"])
def test_no_page_shows_anything_of_another_volunteer(volunteer_client, their_records, url):
    content = volunteer_client.get(url).content.decode()
    for marker in ["陳大同", "F135792464", "F13579", "服務0", "事項0", "招募0", "THEIR-CARD", "P-0", "B-0",
                   "1-187臺中市志願服務推廣中心志工隊"]:
        assert marker not in content, (url, marker)


def test_another_persons_service_record_is_not_found(volunteer_client, their_records):
    for record in ServiceRecord.objects.filter(volunteer=their_records):
        assert volunteer_client.get(f"/me/services/{record.pk}/").status_code == 404


def test_the_other_persons_own_view_of_the_same_record_works(client, their_records):
    record = ServiceRecord.objects.filter(volunteer=their_records, status="approved").first()
    client.force_login(their_records)
    assert client.get(f"/me/services/{record.pk}/").status_code == 200


def test_the_hours_cache_is_never_shared_between_volunteers(client, volunteer, other_volunteer, service_record):
    service_record(volunteer=volunteer, content="我的服務", start=dt.date(2025, 1, 1))
    service_record(volunteer=other_volunteer, content="他人的服務", start=dt.date(2025, 1, 1))
    client.force_login(volunteer)
    assert "我的服務" in client.get("/me/services/?tab=services").content.decode()
    client.force_login(other_volunteer)
    content = client.get("/me/services/?tab=services").content.decode()
    assert "他人的服務" in content and "我的服務" not in content


@pytest.mark.parametrize("url", PAGES)
def test_no_page_of_personal_data_is_kept_by_the_browser(volunteer_client, url):
    # a shared computer at a community centre must not show the previous volunteer's pages on "back"
    assert "no-store" in volunteer_client.get(url)["Cache-Control"]
