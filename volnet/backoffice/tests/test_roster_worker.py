"""The 志工名冊 made by a real Celery worker (fixture `celery_worker`): the page says it is being made, then offers
the file, which is the roster."""

import io
import time

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_makes_the_roster_and_the_page_then_offers_it(celery_worker, staff_client, supervisor_a, unit_a,
                                                                     volunteer):
    client = staff_client(supervisor_a)
    asked = client.post(reverse("backoffice:volunteer_roster"), {"unit": unit_a.pk, "format": "xlsx"})
    assert asked.status_code == 302
    pages = [client.get(asked["Location"]).content.decode()]
    deadline = time.monotonic() + 60
    while "檔案已完成" not in pages[-1] and time.monotonic() < deadline:
        time.sleep(0.2)
        pages.append(client.get(asked["Location"]).content.decode())
    assert "檔案已完成" in pages[-1], "".join(celery_worker.log[-30:])
    assert "檔案製作中" in pages[0]  # the request only queued it
    response = client.get(asked["Location"] + "download/")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True))
    assert [row[1] for row in rows[1:]] == ["測試熊"]
