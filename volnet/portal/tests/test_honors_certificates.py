"""榮譽紀錄 lists the volunteer's own 績效證明書: unit, number, ROC issue date, hours and period."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import in_english
from volnet.portal.tests.html import table, text
from volnet.records.models import PerformanceCertificate

pytestmark = pytest.mark.django_db
HONORS = "/me/honors/"


def certificate(volunteer, unit, number, issued_on, hours, **extra):
    return PerformanceCertificate.objects.create(
        volunteer=volunteer, unit=unit, number=number, roc_year=issued_on.year - 1911, serial=int(number[-4:]),
        issued_on=issued_on, hours=Decimal(hours), months=40, period_start=dt.date(2021, 10, 3),
        period_end=dt.date(2025, 1, 31), **extra,
    )


def test_the_volunteer_sees_their_certificates_newest_first(volunteer_client, volunteer, unit_a, unit_b):
    certificate(volunteer, unit_a, "2-299-114-0001", dt.date(2025, 2, 10), "162.5")
    certificate(volunteer, unit_b, "1-187-115-0003", dt.date(2026, 3, 2), "150", status="cancelled",
                cancelled_on=dt.date(2026, 3, 5), cancel_reason="重複開立")
    rows = table(volunteer_client.get(HONORS).content, "志願服務績效證明書")["body"]
    assert rows == [
        ["臺中市志願服務推廣中心志工隊", "1-187-115-0003", "115/03/02", "150 小時", "110/10/03~114/01/31", "已註銷",
         "—", "申請更正（1-187-115-0003）"],
        ["臺中市樂樂發展協會-樂樂志工隊(測試用)", "2-299-114-0001", "114/02/10", "162.5 小時", "110/10/03~114/01/31",
         "有效", "下載 PDF", "申請更正（2-299-114-0001）"],
    ]


def test_without_certificates_the_page_says_how_to_get_one(volunteer_client):
    page = text(volunteer_client.get(HONORS).content)
    assert "目前沒有志願服務績效證明書。" in page
    assert "在同一個運用單位服務滿 1 年且時數達 150 小時，可請該單位開立績效證明書" in page


def test_another_volunteers_certificate_is_not_shown(volunteer_client, other_volunteer, unit_b):
    certificate(other_volunteer, unit_b, "1-187-115-0001", dt.date(2026, 3, 2), "200")
    html = volunteer_client.get(HONORS).content.decode()
    assert "1-187-115-0001" not in html and "目前沒有志願服務績效證明書。" in html


def test_the_certificates_read_in_english(volunteer_client, volunteer, unit_a):
    certificate(volunteer, unit_a, "2-299-114-0001", dt.date(2025, 2, 10), "162.5")
    table_ = table(in_english(volunteer_client).get(HONORS).content, "Certificates of service performance")
    assert table_["body"] == [["臺中市樂樂發展協會-樂樂志工隊(測試用)", "2-299-114-0001", "114/02/10", "162.5 hours",
                               "110/10/03~114/01/31", "Valid", "Download PDF",
                               "Ask for a correction (2-299-114-0001)"]]
