"""Pictures people upload: Pillow's own decompression-bomb guard, set to what the site takes.

Pillow reads a picture's size from its header before decoding anything; above MAX_IMAGE_PIXELS it
warns (DecompressionBombWarning) and above twice that it refuses (DecompressionBombError). The
default (about 89 million) is more than any page here takes, so it is lowered to the album's limit,
and the upload paths turn both the warning and the error into their "too many pixels" message.
A 60-byte PNG may claim 100,000 × 100,000 pixels (30 GB once decoded).
"""

from PIL import Image

MAX_PIXELS = 60_000_000  # an album photo; a 60-megapixel picture is already beyond any phone
BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
