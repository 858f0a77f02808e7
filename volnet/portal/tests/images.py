"""Pictures made on the spot for upload tests (no binary files in the repository)."""

import io

from PIL import Image


def picture(size=(800, 600), fmt="JPEG", colour=(200, 120, 60), exif=None, mode="RGB"):
    image = Image.new(mode, size, colour)
    if size[0] >= 10 and size[1] >= 10:
        # a dark band along the left edge, to see crops and rotations
        image.paste((0, 0, 0) if mode == "RGB" else (0, 0, 0, 255), (0, 0, size[0] // 10, size[1]))
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def exif_with_gps_and_orientation(orientation=6):
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (25.0, 2.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)}  # GPS
    return exif
