"""Request bodies: a page refuses a body longer than it takes before reading any of it, a file past its
page's limit is dropped while it streams in (the form names its real size), and every refusal is a
page saying why, never a 500 or a bare "Bad Request".

The big bodies are produced lazily by `StreamedBody`, so a 50 MB upload costs the test neither 50 MB
of memory nor the time to build it; the body counts how much of it the server read and, for the
album, how much the server held in its temporary folder at any moment.
"""

import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import in_english
from volnet.albums import services as albums
from volnet.albums.models import Photo
from volnet.records.models import ServiceRecord

MIB = 1024 * 1024
BOUNDARY = "----VolNetTestBoundary7MA4YWxkTrZu0gW"


class StreamedBody:
    """A multipart/form-data body generated as it is read: text fields, then files of `size` bytes."""

    def __init__(self, fields=(), files=(), watch=None):
        pieces = []
        for name, value in fields:
            pieces.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        self.parts = []  # (header bytes, size, trailer bytes)
        for name, file_name, size in files:
            header = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                      "Content-Type: application/octet-stream\r\n\r\n").encode()
            self.parts.append((header, size))
        self.head = b"".join(pieces)
        self.tail = f"--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + sum(len(h) + size + 2 for h, size in self.parts) + len(self.tail)
        self.read_bytes = 0
        self.watch = watch
        self._chunks = self._generate()
        self._buffer = b""

    def _generate(self):
        yield self.head
        block = bytes(range(256)) * 256  # 64 KB that never contains the boundary
        for header, size in self.parts:
            yield header
            while size > 0:
                yield block[:size]
                size -= len(block)
            yield b"\r\n"
        yield self.tail

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                break
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.read_bytes += len(data)
        if self.watch is not None:
            self.watch()
        return data

    def readline(self, size=-1):
        return self.read(size)


def post_streamed(client, url, body):
    return client.generic("POST", url, data=b"-", content_type=f"multipart/form-data; boundary={BOUNDARY}",
                          **{"wsgi.input": body, "CONTENT_LENGTH": str(body.length)})


def page(response):
    return response.content.decode()


@pytest.fixture
def staff(client, supervisor_a):
    client.force_login(supervisor_a)
    return client


@pytest.fixture
def album(unit_a, supervisor_a):
    from volnet.albums.models import Album

    return Album.objects.create(unit=unit_a, title="115年度志工特殊訓練", created_by=supervisor_a)


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploading")
    (tmp_path / "uploading").mkdir()


def test_a_50_mb_excel_upload_is_refused_before_its_body_is_read(staff, unit_a, tmp_path):
    body = StreamedBody([("kind", "service")], [("file", "三月時數.xlsx", 50 * MIB)])
    response = post_streamed(staff, reverse("backoffice:excel_upload"), body)
    assert response.status_code == 413
    text = page(response)
    assert "上傳的資料太大" in text and "50.0 MB" in text and "12.5 MB" in text
    assert body.read_bytes == 0  # not one byte of the body was read
    assert ServiceRecord.objects.count() == 0
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").iterdir())


def test_the_refusal_is_in_english_for_who_chose_english(staff, unit_a):
    in_english(staff)
    body = StreamedBody([("kind", "service")], [("file", "hours.xlsx", 20 * MIB)])
    text = page(post_streamed(staff, reverse("backoffice:excel_upload"), body))
    assert "You sent 20.0 MB; this page takes at most 12.5 MB." in text and "上傳" not in text


def test_a_50_mb_profile_photo_is_refused_before_its_body_is_read(client, volunteer):
    client.force_login(volunteer)
    body = StreamedBody([], [("photo", "me.jpg", 50 * MIB)])
    response = post_streamed(client, reverse("portal:upload_photo"), body)
    assert response.status_code == 413 and "上傳的資料太大" in page(response)
    assert body.read_bytes == 0
    volunteer.refresh_from_db()
    assert not volunteer.photo


def test_a_50_mb_photo_in_an_album_upload_is_dropped_while_it_streams_in(staff, album, tmp_path):
    folder = Path(tmp_path / "uploading")
    held = []

    def watch():  # what the server keeps on disk while the body streams in
        held.append(sum(path.stat().st_size for path in folder.iterdir() if path.is_file()))

    body = StreamedBody([("caption", "結業合影")], [("photos", "huge.jpg", 50 * MIB)], watch=watch)
    response = post_streamed(staff, reverse("albums:upload", args=[album.pk]), body)
    assert response.status_code == 400
    assert "「huge.jpg」有 50.0 MB，超過 10 MB 上限" in page(response)
    assert max(held) <= 10 * MIB + 256 * 1024  # dropped once past its 10 MB, not kept to the end
    assert held[-1] == 0 and not Photo.objects.exists()


def test_a_form_post_longer_than_any_form_needs_is_a_page_saying_so(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("portal:profile"), {"phone": "0" * (3 * MIB)})
    assert response.status_code == 413
    assert "上傳的資料太大" in page(response)


def test_too_many_fields_is_a_page_saying_so(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("portal:profile"), {f"f{n}": "x" for n in range(10_001)})
    assert response.status_code == 400
    assert "欄位太多" in page(response)


def test_too_many_files_is_a_page_saying_so(staff, album):
    files = [SimpleUploadedFile(f"{n}.jpg", b"\xff\xd8", content_type="image/jpeg") for n in range(120)]
    response = staff.post(reverse("albums:upload", args=[album.pk]), {"photos": files})
    assert response.status_code == 400
    assert "檔案太多" in page(response) and "50" in page(response)


def test_a_malformed_upload_is_a_page_saying_so(staff, unit_a):
    response = staff.generic("POST", reverse("backoffice:excel_upload"), data=b"--x\r\nnot a part",
                             content_type="multipart/form-data; boundary=")
    assert response.status_code == 400 and "上傳的資料不完整或格式不對" in page(response)


def png_declaring(width, height):
    """A 60-byte PNG whose header claims `width` × `height` pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 4))
            + chunk(b"IEND", b""))


def test_a_tiny_png_declaring_ten_billion_pixels_is_refused_as_too_many_pixels_on_the_profile(client, volunteer):
    client.force_login(volunteer)
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 100
    response = client.post(reverse("portal:upload_photo"),
                           {"photo": SimpleUploadedFile("bomb.png", bomb, content_type="image/png")})
    assert response.status_code == 400 and "照片的像素太多" in page(response)
    volunteer.refresh_from_db()
    assert not volunteer.photo


def test_a_tiny_png_declaring_ten_billion_pixels_is_refused_as_too_many_pixels_in_an_album(staff, album):
    bomb = png_declaring(100_000, 100_000)
    response = staff.post(reverse("albums:upload", args=[album.pk]),
                          {"photos": [SimpleUploadedFile("bomb.png", bomb, content_type="image/png")]})
    assert response.status_code == 400 and "「bomb.png」的像素太多" in page(response)
    assert not Photo.objects.exists()


def test_the_deployment_guide_gives_the_proxy_the_same_body_limit(settings):
    guide = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    proxy = re.search(r"client_max_body_size (\d+)m;", guide)
    assert proxy and int(proxy.group(1)) * MIB == settings.REQUEST_MAX_BYTES
    # The longest page, an album upload of 20 photos, fits under it whole.
    album = albums.MAX_FILES * albums.max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert album <= settings.REQUEST_MAX_BYTES
