import pytest
from django.core.files.base import ContentFile

from volnet.portal.tests.images import picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_serves_my_own_photo_privately(volunteer_client, volunteer):
    volunteer.photo.save("x.jpg", ContentFile(picture()), save=True)
    response = volunteer_client.get("/me/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_without_a_photo_it_is_not_found(volunteer_client):
    assert volunteer_client.get("/me/photo/").status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(volunteer_client, volunteer):
    volunteer.photo.name = "photos/gone.jpg"
    volunteer.save()
    assert volunteer_client.get("/me/photo/").status_code == 404


def test_it_needs_signing_in(client):
    assert client.get("/me/photo/")["Location"].startswith("/accounts/login/")


def test_it_never_serves_another_persons_photo(client, volunteer, other_volunteer):
    other_volunteer.photo.save("theirs.jpg", ContentFile(picture(colour=(1, 2, 3))), save=True)
    client.force_login(volunteer)
    assert client.get("/me/photo/").status_code == 404
    assert client.get("/me/photo/", {"user": other_volunteer.pk}).status_code == 404
