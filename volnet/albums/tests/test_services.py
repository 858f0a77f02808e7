"""Photo intake and visibility rules: type, size, re-encoding, EXIF stripped, thumbnails, membership."""

import io

import pytest
from PIL import Image

from volnet.albums import services
from volnet.albums.models import Album, Photo
from volnet.albums.services import PhotoError
from volnet.albums.tests.conftest import GPS_IFD, gif_bytes, jpeg_with_exif, png_bytes, upload
from volnet.audit.models import AuditEntry
from volnet.units.models import Membership


def read_stored(file):
    with file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_an_uploaded_jpeg_is_stored_without_any_exif(album, supervisor_a, private_media):
    saved, refused = services.add_photos(album, [upload("IMG_0001.jpg", jpeg_with_exif())], actor=supervisor_a)
    assert refused == []
    photo = saved[0]
    stored = read_stored(photo.image)
    assert stored.format == "JPEG"
    assert "exif" not in stored.info
    assert len(stored.getexif()) == 0 and not stored.getexif().get_ifd(GPS_IFD)
    raw = (private_media / photo.image.name).read_bytes()
    assert b"PhoneCam" not in raw and b"Exif" not in raw
    assert photo.image.name.startswith("albums/") and "IMG_0001" not in photo.image.name


def test_a_sideways_camera_photo_is_turned_upright_before_exif_goes(album, supervisor_a):
    saved, _ = services.add_photos(album, [upload("side.jpg", jpeg_with_exif(size=(1200, 900), orientation=6))],
                                   actor=supervisor_a)
    stored = read_stored(saved[0].image)
    assert stored.size == (900, 1200) and (saved[0].width, saved[0].height) == (900, 1200)


def test_a_thumbnail_of_about_400_pixels_is_made(album, supervisor_a):
    saved, _ = services.add_photos(album, [upload("a.jpg", jpeg_with_exif(size=(1600, 1200)))], actor=supervisor_a)
    thumb = read_stored(saved[0].thumbnail)
    assert thumb.format == "JPEG" and thumb.size == (400, 300)
    assert "exif" not in thumb.info


def test_a_png_stays_a_png_with_its_transparency(album, supervisor_a):
    saved, _ = services.add_photos(album, [upload("logo.png", png_bytes(), "image/png")], actor=supervisor_a)
    stored = read_stored(saved[0].image)
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert saved[0].image.name.endswith(".png") and read_stored(saved[0].thumbnail).format == "JPEG"


def test_a_huge_photo_is_scaled_down_to_the_stored_size(album, supervisor_a):
    saved, _ = services.add_photos(album, [upload("big.jpg", jpeg_with_exif(size=(4000, 3000)))], actor=supervisor_a)
    assert read_stored(saved[0].image).size == (services.MAX_EDGE, services.MAX_EDGE * 3 // 4)


@pytest.mark.parametrize(("name", "content", "code", "words"), [
    ("notes.jpg", "這不是圖片".encode(), "not_image", "不是可以開啟的圖片檔"),
    ("anim.gif", gif_bytes(), "wrong_type", "是 GIF 格式，只接受 JPEG 或 PNG"),
    ("huge.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "too_big", "超過 10 MB 上限"),
    ("cut.jpg", jpeg_with_exif()[:3000], "not_image", "無法讀取"),
    ("empty.jpg", b"", "empty", "是空的檔案"),
])
def test_it_refuses_bad_files_with_a_chinese_message(album, supervisor_a, name, content, code, words):
    with pytest.raises(PhotoError) as error:
        services.process(upload(name, content))
    assert error.value.code == code
    assert name in error.value.message and words in error.value.message


def test_a_mixed_batch_saves_the_good_photos_and_names_the_bad_files(album, supervisor_a, private_media):
    saved, refused = services.add_photos(
        album, [upload("good.jpg", jpeg_with_exif()), upload("bad.txt", b"hello", "text/plain")], actor=supervisor_a
    )
    assert len(saved) == 1 and [e.code for e in refused] == ["not_image"]
    entry = AuditEntry.objects.get(action="albums.photo.uploaded")
    assert entry.changes["photos"] == [saved[0].pk] and "bad.txt" in entry.changes["refused"][0]


def test_staff_of_another_unit_cannot_add_change_or_delete(album, photo, supervisor_b):
    with pytest.raises(PhotoError):
        services.add_photos(album, [upload("a.jpg", jpeg_with_exif())], actor=supervisor_b)
    with pytest.raises(PhotoError):
        services.set_caption(photo, "x", actor=supervisor_b)
    with pytest.raises(PhotoError):
        services.delete_photo(photo, actor=supervisor_b)
    with pytest.raises(PhotoError):
        services.delete_album(album, actor=supervisor_b)
    assert Photo.objects.count() == 1


def test_deleting_a_photo_removes_its_files(photo, supervisor_a, private_media):
    files = [private_media / photo.image.name, private_media / photo.thumbnail.name]
    assert all(path.exists() for path in files)
    services.delete_photo(photo, actor=supervisor_a)
    assert not Photo.objects.exists() and not any(path.exists() for path in files)
    assert AuditEntry.objects.filter(action="albums.photo.deleted").exists()


def test_deleting_an_album_removes_every_photo_and_file(album, photo, supervisor_a, private_media):
    services.delete_album(album, actor=supervisor_a)
    assert not Album.objects.exists()
    assert not (private_media / photo.image.name).exists()


def test_members_and_managing_staff_see_an_album_others_do_not(album, volunteer, other_volunteer, supervisor_a,
                                                                supervisor_b, authority_clerk):
    assert services.can_view(volunteer, album)
    assert services.can_view(supervisor_a, album) and services.can_view(authority_clerk, album)
    assert not services.can_view(other_volunteer, album) and not services.can_view(supervisor_b, album)
    assert list(services.visible_albums(volunteer)) == [album]
    assert not services.visible_albums(other_volunteer).exists()


def test_a_member_who_left_no_longer_sees_the_album(album, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status=Membership.Status.ENDED, left_on="2026-01-01")
    assert not services.can_view(volunteer, album)
    assert not services.visible_albums(volunteer).exists()


def test_a_photo_without_a_thumbnail_gets_one_when_asked(album):
    from django.core.files.base import ContentFile

    photo = Photo(album=album, caption="舊相片")
    photo.image.save("old.jpg", ContentFile(jpeg_with_exif(size=(800, 600))), save=True)
    services.ensure_thumbnail(photo)
    photo.refresh_from_db()
    assert read_stored(photo.thumbnail).size == (400, 300) and (photo.width, photo.height) == (800, 600)


def test_stored_photos_have_no_public_url(photo):
    with pytest.raises(ValueError):
        photo.image.url  # noqa: B018
