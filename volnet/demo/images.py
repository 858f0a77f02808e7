"""Generated pictures for the demo: no binary files in the repository, no faces of real people."""

import io

from PIL import Image, ImageDraw


def portrait_jpeg(background=(214, 228, 240), figure=(70, 90, 110), size=(354, 472)):
    """A 3:4 ID-photo placeholder: a plain silhouette on a light background."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse([w * 0.32, h * 0.16, w * 0.68, h * 0.50], fill=figure)
    draw.ellipse([w * 0.12, h * 0.55, w * 0.88, h * 1.25], fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def scene_jpeg(seed, size=(800, 600)):
    """A simple landscape for demo albums."""
    sky = (120 + seed * 20 % 100, 170, 220)
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, h * 0.62, w, h], fill=(90, 150 - seed * 10 % 60, 80))
    draw.ellipse([w * 0.70, h * 0.10, w * 0.85, h * 0.30], fill=(250, 220, 90))
    for i in range(3):
        x = w * (0.15 + i * 0.22)
        draw.ellipse([x, h * 0.45, x + 40, h * 0.53], fill=(60, 60, 60))
        draw.rectangle([x + 10, h * 0.53, x + 30, h * 0.68], fill=(200, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
