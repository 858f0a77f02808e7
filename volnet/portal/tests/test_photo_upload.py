import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from volnet.accounts import profile as account_profile
from volnet.audit.models import AuditEntry
from volnet.portal.tests.html import text
from volnet.portal.tests.images import exif_with_gps_and_orientation, picture

pytestmark = pytest.mark.django_db
URL = "/me/profile/photo/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, data, name="me.jpg", content_type="image/jpeg"):
    return client.post(URL, {"photo": SimpleUploadedFile(name, data, content_type=content_type)})


def test_an_uploaded_photo_is_cleaned_stored_and_used(volunteer_client, volunteer,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(volunteer_client, picture((1000, 1000), exif=exif_with_gps_and_orientation(1)))
    assert response.status_code == 302 and response["Location"] == "/me/profile/#photo"
    volunteer.refresh_from_db()
    assert volunteer.photo.name.startswith("photos/") and volunteer.photo.name.endswith(".jpg")
    with volunteer.photo.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.size == account_profile.PHOTO_SIZE and not stored.getexif()
    assert AuditEntry.objects.filter(action="portal.photo.updated", volunteer=volunteer).exists()
    assert "大頭照已更新" in text(volunteer_client.get("/me/profile/").content)


def test_a_new_photo_replaces_and_removes_the_old_file(volunteer_client, volunteer,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(volunteer_client, picture())
    volunteer.refresh_from_db()
    first = volunteer.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(volunteer_client, picture(colour=(10, 200, 10)), name="new.png")
    volunteer.refresh_from_db()
    assert volunteer.photo.name != first
    assert not volunteer.photo.storage.exists(first)


@pytest.mark.parametrize("data, name, message", [
    (picture(fmt="GIF"), "me.gif", "照片只接受 JPEG 或 PNG 格式"),
    (b"MZ\x90\x00 pretending to be a picture", "me.jpg", "照片只接受 JPEG 或 PNG 格式"),
    (picture((90, 120)), "tiny.jpg", "照片太小"),
])
def test_a_bad_file_gets_a_chinese_message_and_changes_nothing(volunteer_client, volunteer, data, name, message):
    response = _upload(volunteer_client, data, name=name)
    assert response.status_code == 400
    assert message in text(response.content)
    volunteer.refresh_from_db()
    assert not volunteer.photo


def test_a_file_over_5_mb_is_refused(volunteer_client, volunteer):
    response = _upload(volunteer_client, b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 10))
    assert response.status_code == 400
    assert "照片檔案超過 5 MB" in text(response.content)


def test_sending_no_file_asks_for_one(volunteer_client):
    response = volunteer_client.post(URL, {})
    assert response.status_code == 400
    assert "請選擇要上傳的照片" in text(response.content)


def test_only_post_is_accepted(volunteer_client):
    assert volunteer_client.get(URL).status_code == 405


def test_too_many_uploads_in_an_hour_are_refused(volunteer_client):
    for _ in range(20):
        _upload(volunteer_client, b"not a picture")
    response = _upload(volunteer_client, picture())
    assert response.status_code == 429
    assert "上傳次數過多" in text(response.content)
