"""Read a QR code back from what the page served: the inline SVG (parsed into modules, drawn with Pillow)
or a browser screenshot, decoded with zxing-cpp."""

import io
import re

import zxingcpp
from PIL import Image, ImageDraw

_SVG = re.compile(r"<svg[^>]*\bclass=\"qr__image\".*?</svg>", re.S)


def svg_from_html(html):
    match = _SVG.search(html)
    assert match, "no QR code on the page"
    return match.group(0)


def svg_to_image(svg, scale=8):
    """segno draws a white square, then one dark path of horizontal runs: `M x y` / `m dx dy` move, `h n` draws
    n dark modules."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            row = int(y - 0.5)
            draw.rectangle([x * scale, row * scale, (x + numbers[0]) * scale - 1, (row + 1) * scale - 1], fill=0)
            x += numbers[0]
    return image


def decode(image):
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code could be decoded"
    return results[0].text


def url_in_page(html):
    return decode(svg_to_image(svg_from_html(html)))


def verdict(html):
    """The one verdict of a venue check page (the words inside its h1)."""
    match = re.search(r'<h1 id="verdict"[^>]*>(.*?)</h1>', html, re.S)
    assert match, "not a verdict page"
    return re.sub(r"<[^>]+>|[✔✖!]", "", match.group(1)).strip()
