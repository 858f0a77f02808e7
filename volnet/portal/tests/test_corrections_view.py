"""申請更正 from 我的檔案, and the unit's 更正申請 queue in 志工後台 (issue 16 item 5)."""

import pytest

from volnet.portal.tests.html import text
from volnet.records.models import CorrectionRequest

pytestmark = pytest.mark.django_db
ASK = {"wrong": "日期錯了", "should_be": "應為 115/03/02"}


def test_every_record_row_of_the_tabs_links_to_its_correction_page(volunteer_client, service_record, make_training,
                                                                     make_policy, volunteer):
    record = service_record()
    training = make_training()
    policy = make_policy(record.start_date, record.start_date, volunteer)
    for tab, link in (("services", f"service/{record.pk}"), ("training", f"training/{training.pk}"),
                      ("insurance", f"insurance/{policy.pk}")):
        html = volunteer_client.get(f"/me/services/?tab={tab}").content.decode()
        assert f'href="/me/corrections/{link}/"' in html


def test_the_volunteer_asks_and_sees_the_request_on_the_record_and_in_the_list(volunteer_client, service_record):
    record = service_record(content="電話問安")
    url = f"/me/corrections/service/{record.pk}/"
    page = text(volunteer_client.get(url).content)
    assert "電話問安" in page and "臺中市樂樂發展協會" in page
    response = volunteer_client.post(url, ASK, follow=True)
    assert "已送出更正申請" in text(response.content)
    assert "日期錯了" in text(response.content) and "處理中" in text(response.content)
    assert "這筆紀錄已有處理中的更正申請" in text(response.content)
    assert "日期錯了" in text(volunteer_client.get("/me/corrections/").content)
    training_tab = text(volunteer_client.get("/me/services/?tab=training").content)
    assert "更正申請處理中" not in training_tab  # only the record asked about is marked


def test_an_empty_request_keeps_what_was_typed(volunteer_client, service_record):
    record = service_record()
    response = volunteer_client.post(f"/me/corrections/service/{record.pk}/", {"wrong": "日期錯了", "should_be": ""})
    assert response.status_code == 400
    assert "日期錯了" in response.content.decode() and not CorrectionRequest.objects.exists()


def test_attack_a_request_on_someone_elses_record_is_refused(volunteer_client, other_volunteer, service_record, unit_b,
                                                             supervisor_b):
    theirs = service_record(volunteer=other_volunteer, unit=unit_b, registrant=supervisor_b, content="別人的服務")
    url = f"/me/corrections/service/{theirs.pk}/"
    assert volunteer_client.get(url).status_code == 404
    response = volunteer_client.post(url, ASK)
    assert response.status_code == 404 and "別人的服務" not in text(response.content)
    assert not CorrectionRequest.objects.exists()
    assert volunteer_client.get("/me/corrections/nonsense/1/").status_code == 404


def test_the_unit_answers_from_its_queue_with_a_link_to_edit_the_record(client, volunteer, supervisor_a, supervisor_b,
                                                                        service_record):
    from volnet.records import corrections

    record = service_record(content="電話問安")
    correction = corrections.request_correction(volunteer, "service", record.pk, **ASK)
    client.force_login(supervisor_a)
    queue = text(client.get("/backoffice/corrections/").content)
    assert "測試熊" in queue and "日期錯了" in queue
    page = client.get(f"/backoffice/corrections/{correction.pk}/").content.decode()
    assert f'href="/backoffice/services/{record.pk}/edit/"' in page
    refused = client.post(f"/backoffice/corrections/{correction.pk}/", {"outcome": "declined", "answer": ""})
    assert refused.status_code == 400 and "不予更正時請說明原因" in text(refused.content)
    done = client.post(f"/backoffice/corrections/{correction.pk}/", {"outcome": "corrected", "answer": "已改正日期"},
                       follow=True)
    assert "已回覆更正申請" in text(done.content)
    client.force_login(volunteer)
    page = text(client.get(f"/me/corrections/service/{record.pk}/").content)
    assert "已更正" in page and "已改正日期" in page
    # another unit's staff see neither the queue entry nor the request
    client.force_login(supervisor_b)
    assert "日期錯了" not in text(client.get("/backoffice/corrections/").content)
    assert client.get(f"/backoffice/corrections/{correction.pk}/").status_code == 404
    answer = client.post(f"/backoffice/corrections/{correction.pk}/", {"outcome": "declined", "answer": "x"})
    assert answer.status_code == 404
