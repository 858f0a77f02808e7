"""電子相簿 in English, for volunteers and for the units' staff who chose English in the footer."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import ideographs, in_english
from volnet.albums import services
from volnet.albums.models import Album
from volnet.albums.tests.conftest import gif_bytes, jpeg_with_exif, upload
from volnet.units.models import Membership, StaffRole, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def outing(authority, supervisor_a):
    """An album whose every word of data is English: its pages should hold no Chinese at all."""
    from volnet.accounts.models import User

    unit = Unit.objects.create(code="3-101", name="Harbour Friends Team", authority=authority)
    amy = User.objects.create_user("E222333443", "Correct-Horse-42", name="Amy Lin", birth_date=dt.date(1990, 4, 2))
    Membership.objects.create(volunteer=amy, unit=unit, joined_on=dt.date(2025, 1, 6))
    album = Album.objects.create(unit=unit, title="Spring outing", taken_on=dt.date(2026, 4, 3),
                                 created_by=supervisor_a)
    StaffRole.objects.create(user=supervisor_a, role="supervisor", unit=unit)
    services.add_photos(album, [upload("a.jpg", jpeg_with_exif()), upload("b.jpg", jpeg_with_exif())],
                        actor=supervisor_a)
    return amy, album


def test_a_volunteer_browses_albums_in_english(client, outing):
    amy, album = outing
    client.force_login(amy)
    in_english(client)
    pages = {
        "list": client.get(reverse("albums:list")).content.decode(),
        "album": client.get(reverse("albums:detail", args=[album.pk])).content.decode(),
        "photo": client.get(reverse("albums:photo", args=[album.photos.first().pk])).content.decode(),
    }
    assert "<h1>Photo albums</h1>" in pages["list"] and "2 photos</p>" in pages["list"]
    assert "<title>Spring outing｜Photo albums｜Volunteer Service Network</title>" in pages["album"]
    assert "Harbour Friends Team · Event date 115/04/03 · 2 photos" in pages["album"]
    assert 'alt="Spring outing, photo 2"' in pages["album"]
    assert '<p class="photo-position">Photo 1 of 2</p>' in pages["photo"]
    assert 'rel="next">Next photo →</a>' in pages["photo"] and 'aria-label="Move between photos"' in pages["photo"]
    for name, content in pages.items():
        assert not ideographs(content), name


def test_staff_read_upload_results_and_refusals_in_english(client, supervisor_a, album):
    client.force_login(supervisor_a)
    in_english(client)
    url = reverse("albums:upload", args=[album.pk])
    refused = client.post(url, {"photos": [upload("poster.gif", gif_bytes(), "image/gif")]})
    assert refused.status_code == 400
    assert "“poster.gif” is a GIF file; only JPEG or PNG photos are accepted." in refused.content.decode()
    assert "Choose photos" in refused.content.decode()

    page = client.post(url, {"photos": [upload("a.jpg", jpeg_with_exif()), upload("empty.jpg", b"")]}, follow=True)
    content = page.content.decode()
    assert "1 photo uploaded." in content
    assert "Not uploaded: “empty.jpg” is an empty file." in content
    assert '<h2 id="upload-heading">Upload photos</h2>' in content
    assert "Caption of photo 1" in content and "Delete photo 1…" in content


def test_a_new_album_is_announced_in_english(client, supervisor_a):
    client.force_login(supervisor_a)
    in_english(client)
    form = client.get(reverse("albums:manage_new")).content.decode()
    assert "<h1>New album</h1>" in form and ">Album title<" in form and ">Create album</button>" in form
    page = client.post(reverse("albums:manage_new"), {"unit": supervisor_a.staff_roles.first().unit_id,
                                                      "title": "Beach clean-up", "taken_on": "115/05/01"},
                       follow=True)
    assert "The album “Beach clean-up” has been created. You can now upload photos." in page.content.decode()
