"""Rules of the ID photo: JPEG/PNG only, ≤ 5 MB, re-encoded, metadata stripped, 3:4 centre crop."""

import io

import pytest
from PIL import Image

from volnet.accounts import profile as account_profile
from volnet.portal.tests.images import exif_with_gps_and_orientation, picture


def _open(data):
    return Image.open(io.BytesIO(data))


def test_a_landscape_jpeg_becomes_a_3_by_4_id_photo():
    out = _open(account_profile.process_photo(picture((1200, 800))))
    assert out.format == "JPEG"
    assert out.size == account_profile.PHOTO_SIZE
    assert out.size[0] * 4 == out.size[1] * 3


def test_the_crop_keeps_the_centre():
    # 1200×800 with a black left tenth: a centred 600×800 crop starts at x=300, so no black remains.
    out = _open(account_profile.process_photo(picture((1200, 800)))).convert("RGB")
    assert out.getpixel((2, out.size[1] // 2))[0] > 100


def test_exif_gps_and_camera_data_are_removed_and_the_photo_turned_upright():
    source = picture((800, 600), exif=exif_with_gps_and_orientation(6))
    assert _open(source).getexif()  # the source does carry metadata
    out = _open(account_profile.process_photo(source))
    assert not out.getexif()
    assert "exif" not in out.info and "icc_profile" not in out.info
    # orientation 6 turns the 800×600 picture into 600×800, whose black band is now on top
    top = out.convert("RGB").getpixel((out.size[0] // 2, 2))
    bottom = out.convert("RGB").getpixel((out.size[0] // 2, out.size[1] - 3))
    assert top[0] < 60 and bottom[0] > 100


def test_a_transparent_png_is_flattened_on_white():
    out = _open(account_profile.process_photo(picture((600, 800), fmt="PNG", mode="RGBA", colour=(0, 0, 0, 0))))
    assert out.format == "JPEG" and out.mode == "RGB"
    assert out.getpixel((out.size[0] - 5, 5)) >= (250, 250, 250)


@pytest.mark.parametrize("data, code", [
    (picture((800, 600), fmt="GIF"), "format"),
    (picture((800, 600), fmt="BMP"), "format"),
    (b"%PDF-1.4 not a picture", "format"),
    (picture((800, 600))[:400], "broken"),
    (picture((100, 120)), "too_small"),
    (b"", "empty"),
])
def test_it_refuses_what_is_not_a_usable_jpeg_or_png(data, code):
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.process_photo(data)
    assert error.value.code == code
    assert error.value.message  # a Chinese sentence for the volunteer


def test_it_refuses_more_than_5_mb():
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.process_photo(b"\xff\xd8" + b"0" * account_profile.PHOTO_MAX_BYTES)
    assert error.value.code == "too_large"
    assert "5 MB" in error.value.message


def test_it_refuses_a_decompression_bomb_before_decoding_it():
    bomb = picture((8000, 6000), fmt="PNG", colour=(255, 255, 255))
    assert len(bomb) < account_profile.PHOTO_MAX_BYTES
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.process_photo(bomb)
    assert error.value.code == "too_many_pixels"
