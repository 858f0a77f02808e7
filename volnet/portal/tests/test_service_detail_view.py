import datetime as dt

import pytest

from volnet.portal.tests.html import text
from volnet.records.models import ServiceRecord

pytestmark = pytest.mark.django_db


def test_it_shows_one_of_my_records_in_full(volunteer_client, service_record):
    record = service_record(hours="3.5", start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 30))
    page = text(volunteer_client.get(f"/me/services/{record.pk}/").content)
    assert "服務日期 114/03/01~114/03/30" in page
    assert "服務時數 3.5 小時" in page
    assert "登錄人 何小倫" in page


def test_a_declined_self_report_tells_why(volunteer_client, service_record):
    record = service_record(status=ServiceRecord.Status.DECLINED, self_reported=True, decline_reason="時數重複")
    page = text(volunteer_client.get(f"/me/services/{record.pk}/").content)
    assert "已被運用單位退回，原因：時數重複" in page


def test_another_persons_record_is_not_found(volunteer_client, service_record, other_volunteer):
    theirs = service_record(volunteer=other_volunteer)
    assert volunteer_client.get(f"/me/services/{theirs.pk}/").status_code == 404
    assert volunteer_client.get("/me/services/999999/").status_code == 404
