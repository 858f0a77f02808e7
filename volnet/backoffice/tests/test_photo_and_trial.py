"""Staff upload a volunteer's ID photo with the portal's checks (it replaces the paper photos of an honor-card
application) and set a membership's 見習期 in the back office: refusals are messages, nothing half-written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.honorcard import queries as honorcard_queries
from volnet.portal.tests.images import exif_with_gps_and_orientation, picture
from volnet.records.tests.excel_files import valid_id
from volnet.units.models import Membership


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def send_photo(client, person, data, name="photo.jpg", content_type="image/jpeg"):
    return client.post(reverse("backoffice:volunteer_photo", args=[person.pk]),
                       {"photo": SimpleUploadedFile(name, data, content_type=content_type)})


def test_staff_upload_a_photo_that_is_cleaned_as_the_portal_does_and_stands_for_the_paper_photos(
        staff_client, supervisor_a, volunteer, unit_a):
    today = dt.date(2026, 12, 5)
    assert "缺證件照" in honorcard_queries.evaluate_volunteer(volunteer, today).honor_card.reasons
    client = staff_client(supervisor_a)
    assert "尚未上傳大頭照" in client.get(reverse("backoffice:volunteer_photo", args=[volunteer.pk])).content.decode()
    response = send_photo(client, volunteer, picture((1200, 900), exif=exif_with_gps_and_orientation()))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    with volunteer.photo.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.size == (414, 552)
        assert not image.getexif()  # no GPS, no camera
    entry = AuditEntry.objects.get(action="backoffice.volunteer.photo_updated")
    assert entry.actor == supervisor_a and entry.unit == unit_a and entry.volunteer == volunteer
    assert "缺證件照" not in honorcard_queries.evaluate_volunteer(volunteer, today).honor_card.reasons
    shown = client.get(reverse("backoffice:volunteer_photo_image", args=[volunteer.pk]))
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert reverse("backoffice:volunteer_photo_image", args=[volunteer.pk]) in client.get(
        reverse("backoffice:volunteer", args=[volunteer.pk])).content.decode()


@pytest.mark.parametrize("data, name, words", [
    (b"%PDF-1.7 not a picture", "photo.jpg", "JPEG 或 PNG"),
    (picture((100, 100)), "tiny.jpg", "照片太小"),
    (picture((800, 600), fmt="GIF"), "photo.gif", "只接受 JPEG 或 PNG"),
    (picture((800, 600))[:300], "cut.jpg", "已損壞"),
])
def test_a_bad_photo_is_a_message_and_the_old_photo_stays(staff_client, supervisor_a, volunteer, data, name, words):
    client = staff_client(supervisor_a)
    assert send_photo(client, volunteer, picture()).status_code == 302
    volunteer.refresh_from_db()
    kept = volunteer.photo.name
    response = send_photo(client, volunteer, data, name=name)
    assert response.status_code == 400 and words in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.photo.name == kept
    assert AuditEntry.objects.filter(action="backoffice.volunteer.photo_updated").count() == 1


def test_a_person_who_has_not_accepted_the_unit_or_serves_elsewhere_is_not_the_units_to_photograph(
        staff_client, supervisor_a, unit_a, other_volunteer):
    asked = make_person(valid_id("H", "22345678"), "王小明")
    Membership.objects.create(volunteer=asked, unit=unit_a, status="pending")
    client = staff_client(supervisor_a)
    refused = send_photo(client, asked, picture())
    assert refused.status_code == 403
    assert send_photo(client, other_volunteer, picture()).status_code == 404
    assert client.get(reverse("backoffice:volunteer_photo_image", args=[other_volunteer.pk])).status_code == 404
    asked.refresh_from_db()
    other_volunteer.refresh_from_db()
    assert not asked.photo and not other_volunteer.photo


def trial(client, membership, value):
    return client.post(reverse("backoffice:membership_trial", args=[membership.pk]), {"trial_until": value})


def test_the_trial_period_is_set_in_the_back_office_and_logged(staff_client, supervisor_a, volunteer, unit_a):
    membership = Membership.objects.get(volunteer=volunteer, unit=unit_a)  # joined 110/05/01
    client = staff_client(supervisor_a)
    assert trial(client, membership, "110/08/01").status_code == 302
    membership.refresh_from_db()
    assert membership.trial_until == dt.date(2021, 8, 1)
    entry = AuditEntry.objects.get(action="backoffice.membership.trial_set")
    assert entry.changes == {"見習期至": ["", "110/08/01"]} and entry.unit == unit_a
    assert "110/08/01" in client.get(reverse("backoffice:volunteer", args=[volunteer.pk])).content.decode()
    assert trial(client, membership, "").status_code == 302  # cleared
    membership.refresh_from_db()
    assert membership.trial_until is None


@pytest.mark.parametrize("value, words", [("110/05/01", "必須晚於加入日期 110/05/01"), ("110/02/30", "不存在"),
                                          ("2021/08/01", "民國")])
def test_an_impossible_trial_period_is_a_message_and_nothing_changes(staff_client, supervisor_a, volunteer, unit_a,
                                                                     value, words):
    membership = Membership.objects.get(volunteer=volunteer, unit=unit_a)
    response = trial(staff_client(supervisor_a), membership, value)
    assert response.status_code == 200 and words in response.content.decode()
    assert value in response.content.decode()  # what was typed stays
    membership.refresh_from_db()
    assert membership.trial_until is None
    assert not AuditEntry.objects.filter(action="backoffice.membership.trial_set").exists()


def test_another_units_membership_is_not_found(staff_client, supervisor_a, other_volunteer):
    membership = Membership.objects.get(volunteer=other_volunteer)
    assert trial(staff_client(supervisor_a), membership, "112/12/01").status_code == 404
    membership.refresh_from_db()
    assert membership.trial_until is None
