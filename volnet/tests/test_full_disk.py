"""A full disk during an upload: a clear message, no 500, no half-written file, nothing else changed.

The disk is real: a 256 KiB tmpfs mounted for the test and filled up (the tests run as root, as on
the project's machines and CI).
"""

import io
import subprocess

import pytest
from PIL import Image

from volnet.albums.models import Album, Photo


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], check=True)
    try:
        with open(mount / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def photo_bytes():
    noise = Image.effect_noise((600, 800), 80).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def files_in(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != "filler")


def test_a_full_disk_refuses_the_id_photo_and_keeps_the_old_one(client, volunteer, settings, tmp_path, full_disk):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(volunteer)
    first = io.BytesIO(photo_bytes())
    first.name = "me.jpg"
    assert client.post("/me/profile/photo/", {"photo": first}).status_code == 302
    volunteer.refresh_from_db()
    old_photo = volunteer.photo.name

    settings.MEDIA_ROOT = str(full_disk)
    upload = io.BytesIO(photo_bytes())
    upload.name = "me.jpg"
    response = client.post("/me/profile/photo/", {"photo": upload})
    assert response.status_code == 503
    assert "儲存空間不足" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.photo.name == old_photo
    assert files_in(full_disk) == []


def test_a_full_disk_refuses_album_photos_with_a_message(client, supervisor_a, unit_a, settings, full_disk):
    settings.PRIVATE_MEDIA_ROOT = str(full_disk)
    album = Album.objects.create(unit=unit_a, title="活動花絮")
    client.force_login(supervisor_a)
    upload = io.BytesIO(photo_bytes())
    upload.name = "team.jpg"
    response = client.post(f"/albums/manage/{album.pk}/upload/", {"photos": [upload], "caption": ""})
    assert response.status_code == 400
    assert "儲存空間不足" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_in(full_disk) == []
