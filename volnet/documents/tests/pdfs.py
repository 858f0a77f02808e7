"""Reading an issued PDF back as its reader would: the QR code on its cover (pdftoppm, then zxing-cpp), and
downloading a record book as its volunteer."""

import subprocess

import zxingcpp
from django.urls import reverse
from PIL import Image


def qr_urls(data, tmp_path, page=1):
    """Every QR code poppler draws on `page`, decoded."""
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    for old in tmp_path.glob("qr-page*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", str(path),
                    str(tmp_path / "qr-page")], check=True)
    image = Image.open(next(tmp_path.glob("qr-page*.png")))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def download_book(client, **filters):
    response = client.get(reverse("recordbook:pdf"), filters)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)
