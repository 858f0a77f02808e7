import datetime as dt

import pytest
from django.utils import timezone

from volnet.portal.tests.html import table, text
from volnet.recruitment.models import Application, Posting

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_lists_the_demo_volunteers_application_with_posting_unit_dates_and_status(bear_client):
    rows = table(bear_client.get("/me/applications/").content, "應徵過的志工招募")
    assert rows["head"] == ["招募訊息", "招募單位", "服務期間", "應徵時間", "狀態"]
    [row] = rows["body"]
    assert row[0] == "社區長者電話問安志工 老人服務・臺中市西屯區（可在家服務）"
    assert row[1:3] == ["2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "115/01/01~115/12/31"]
    assert row[4].startswith("已錄取")


def test_it_pages_newest_first_with_every_status(volunteer_client, volunteer, unit_a):
    statuses = list(Application.Status)
    for i in range(12):
        posting = Posting.objects.create(unit=unit_a, title=f"招募{i:02d}", service_item="綜合服務", place="臺中",
                                         start_date=D(2025, 1, 1), end_date=D(2025, 12, 31), quota=3)
        Application.objects.create(posting=posting, volunteer=volunteer, status=statuses[i % 4],
                                   applied_at=timezone.now() - dt.timedelta(days=30 - i))
    first = table(volunteer_client.get("/me/applications/").content, "應徵過的志工招募")["body"]
    assert [row[0].split()[0] for row in first] == [f"招募{i:02d}" for i in range(11, 1, -1)]
    assert {row[4] for row in first} == {"審核中", "已錄取", "未錄取", "已撤回"}
    second = table(volunteer_client.get("/me/applications/", {"page": 2}).content, "應徵過的志工招募")["body"]
    assert [row[0].split()[0] for row in second] == ["招募01", "招募00"]


def test_another_volunteers_applications_are_not_shown(volunteer_client, other_volunteer, unit_a):
    posting = Posting.objects.create(unit=unit_a, title="別人的應徵", service_item="綜合服務", place="臺中",
                                     start_date=D(2025, 1, 1), end_date=D(2025, 12, 31), quota=3)
    Application.objects.create(posting=posting, volunteer=other_volunteer)
    page = text(volunteer_client.get("/me/applications/").content)
    assert "別人的應徵" not in page
    assert "您還沒有應徵過志工招募" in page
