"""In English: the audit log names each action in the reader's language, whoever did it and in which language."""

from django.urls import reverse
from django.utils import translation

from conftest import in_english
from volnet.audit import actions, log


def test_the_audit_page_names_actions_in_english(client, supervisor_a, volunteer, unit_a):
    log.record("records.service.updated", actor=supervisor_a, volunteer=volunteer, unit=unit_a,
               changes={"服務時數": ["3", "4"]})
    client.force_login(supervisor_a)
    session = client.session
    session["volnet_site"] = "backoffice"
    session.save()
    page = in_english(client).get(reverse("backoffice:audit")).content.decode()
    assert "<td>Corrected service hours</td>" in page
    assert '<option value="records.service.created">Added service hours</option>' in page
    assert "更正服務時數" not in page


def test_labels_are_read_when_shown_not_when_written():
    with translation.override("en"):
        label = actions.label("records.training.deleted")
    assert str(label) == "刪除教育訓練"
    with translation.override("en"):
        assert str(label) == "Deleted training"
        assert dict(actions.choices())["portal.photo.updated"] == "Volunteer changed their photo"
        assert actions.label("something.new") == "something.new"


def test_stored_words_are_shown_in_the_readers_language_and_typed_text_as_it_is():
    changes = {"狀態": ["待審核", "已核定"], "退回原因": ["", "日期有誤"], "count": 3}
    with translation.override("en"):
        assert actions.rows(changes) == [("Status", "Awaiting review", "Approved"),
                                         ("Reason for sending back", "", "日期有誤")]
    assert actions.rows(changes) == [("狀態", "待審核", "已核定"), ("退回原因", "", "日期有誤")]
