import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION, DATETIME = 0x010F, 0x0110, 0x0112, 0x0132


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Every album test stores its photos in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def jpeg_with_exif(size=(1200, 900), orientation=1, color=(200, 80, 60)):
    """A camera-like JPEG: maker, model, date and a GPS position in its EXIF."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    exif[MODEL] = "Model 7"
    exif[DATETIME] = "2026:03:15 10:00:00"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (24.0, 9.0, 36.0), 3: "E", 4: (120.0, 41.0, 2.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def png_bytes(size=(300, 200), mode="RGBA"):
    image = Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (50, 50)).save(buffer, "GIF")
    return buffer.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def album(unit_a, supervisor_a):
    from volnet.albums.models import Album

    return Album.objects.create(unit=unit_a, title="115年度志工特殊訓練", description="活動花絮",
                                created_by=supervisor_a)


@pytest.fixture
def photo(album, supervisor_a):
    from volnet.albums import services

    saved, _ = services.add_photos(album, [upload("a.jpg", jpeg_with_exif())], actor=supervisor_a, caption="結業合影")
    return saved[0]
