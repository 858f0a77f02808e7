"""電子相簿: who sees which album, and how a photo gets in (checked, re-encoded, EXIF gone, thumbnail made).

Volunteers see the albums of units they are active members of; unit staff manage their units' albums
(units.access). Photos are stored in albums.storage, outside MEDIA_ROOT, and leave only through views
that call `can_view`.
"""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from volnet.albums.models import Album, Photo
from volnet.audit.log import diff, record
from volnet.errors import DomainError
from volnet.lib import pictures
from volnet.lib.files import StorageFull, save_file
from volnet.units import access
from volnet.units.models import Membership, Unit

log = logging.getLogger(__name__)

MAX_FILES = 20
MAX_PIXELS = pictures.MAX_PIXELS  # a 60-megapixel photo is already beyond any phone; bigger is a decompression bomb
MAX_EDGE = 2560  # stored photos are scaled down to this long edge: sharp on any screen, small on a phone
THUMB_EDGE = 400
ACCEPTED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
ALBUM_FIELDS = ["unit_id", "title", "taken_on", "description"]


def max_bytes():
    """The largest photo one may upload: UPLOAD_MAX_BYTES (the environment's UPLOAD_MAX_MB)."""
    return settings.UPLOAD_MAX_BYTES


class PhotoError(DomainError):
    """A refused album or photo action (volnet.errors.DomainError)."""


# ----------------------------------------------------------------------------------------- who sees what


def member_units(user):
    """Units whose albums a volunteer sees: those they are an active member of."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.served_by(user)


def visible_albums(user):
    return Album.objects.filter(unit__in=member_units(user))


def managed_albums(user):
    return Album.objects.filter(unit__in=access.managed_units(user))


def can_view(user, album):
    """Members of the album's unit, and the staff who manage it."""
    if not user.is_authenticated:
        return False
    is_member = Membership.objects.active().filter(volunteer=user, unit_id=album.unit_id).exists()
    return is_member or access.can_manage_unit(user, album.unit)


# ------------------------------------------------------------------------------------------ the pictures


@dataclass
class Processed:
    image: bytes
    extension: str
    thumbnail: bytes
    width: int
    height: int


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}"


def process(uploaded):
    """Check one uploaded file and re-encode it: (JPEG or PNG, ≤ max_bytes()) → Processed, else PhotoError."""
    name = getattr(uploaded, "name", "") or _("相片")
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes():
        raise PhotoError("too_big", _("「%(name)s」有 %(size)s MB，超過 %(limit)s MB 上限，請縮小後再上傳。")
                         % {"name": name, "size": _megabytes(size), "limit": max_bytes() // 1024 // 1024})
    if size == 0:
        raise PhotoError("empty", _("「%(name)s」是空的檔案。") % {"name": name})
    try:
        uploaded.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # see volnet.lib.pictures
            with Image.open(uploaded) as opened:
                if opened.format not in ACCEPTED_FORMATS:
                    raise PhotoError("wrong_type", _("「%(name)s」是 %(format)s 格式，只接受 JPEG 或 PNG 相片。")
                                     % {"name": name, "format": opened.format or _("未知")})
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoError("too_many_pixels",
                                     _("「%(name)s」的像素太多（%(width)s×%(height)s），請縮小後再上傳。")
                                     % {"name": name, "width": opened.width, "height": opened.height})
                image_format = opened.format
                opened.load()  # decodes everything now: a truncated or corrupt file fails here, not later
                picture = ImageOps.exif_transpose(opened)  # turn it upright as the camera meant, then forget EXIF
                icc_profile = opened.info.get("icc_profile")
    except PhotoError:
        raise
    except pictures.BOMB:
        raise PhotoError("too_many_pixels", _("「%(name)s」的像素太多，請縮小後再上傳。") % {"name": name}) from None
    except UnidentifiedImageError:
        raise PhotoError("not_image",
                         _("「%(name)s」不是可以開啟的圖片檔，請確認是 JPEG 或 PNG 相片。") % {"name": name}) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        log.info("album upload %r unreadable: %s", name, error)
        raise PhotoError("not_image", _("「%(name)s」無法讀取，檔案可能已損壞。") % {"name": name}) from None
    return _encode(picture, image_format, icc_profile)


def _has_alpha(picture):
    return picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)


def _encode(picture, image_format, icc_profile):
    extension, _ = ACCEPTED_FORMATS[image_format]
    if image_format == "PNG" and _has_alpha(picture):
        picture = picture.convert("RGBA")
    else:
        picture = picture.convert("RGB")
    if max(picture.size) > MAX_EDGE:
        picture.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # Nothing but the pixels (and the colour profile) is written: no EXIF, no GPS, no text chunks.
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        picture.save(buffer, "JPEG", quality=85, optimize=True, **extra)
    else:
        picture.save(buffer, "PNG", **extra)
    return Processed(buffer.getvalue(), extension, _thumbnail(picture), picture.width, picture.height)


def _thumbnail(picture):
    small = picture.copy()
    small.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    if small.mode == "RGBA":
        flat = Image.new("RGB", small.size, (255, 255, 255))
        flat.paste(small, mask=small.getchannel("A"))
        small = flat
    buffer = io.BytesIO()
    small.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def _store(album, processed, caption):
    stem = uuid.uuid4().hex
    photo = Photo(album=album, caption=caption, width=processed.width, height=processed.height)
    save_file(photo.image, f"{stem}.{processed.extension}", processed.image)
    try:
        save_file(photo.thumbnail, f"{stem}.jpg", processed.thumbnail)
        photo.save()
    except Exception:
        _delete_files(photo)
        raise
    return photo


def _delete_files(photo):
    for file in (photo.image, photo.thumbnail):
        if file and file.name:
            file.storage.delete(file.name)


def ensure_thumbnail(photo):
    """Photos loaded without a thumbnail (demo data, imports) get one the first time it is asked for."""
    if photo.thumbnail and photo.thumbnail.storage.exists(photo.thumbnail.name):
        return photo
    with photo.image.open("rb") as file, Image.open(file) as opened:
        opened.load()
        picture = ImageOps.exif_transpose(opened).convert("RGB")
    photo.thumbnail.save(f"{uuid.uuid4().hex}.jpg", ContentFile(_thumbnail(picture)), save=False)
    photo.width, photo.height = photo.width or picture.width, photo.height or picture.height
    photo.save(update_fields=["thumbnail", "width", "height"])
    return photo


# -------------------------------------------------------------------------------------------- actions


def _require_manager(actor, album):
    if not access.can_manage_unit(actor, album.unit):
        raise PhotoError("forbidden", _("您沒有管理這本相簿的權限。"))


def add_photos(album, files, *, actor, caption=""):
    """Store every acceptable file; return (photos saved, PhotoErrors for the files refused)."""
    _require_manager(actor, album)
    if len(files) > MAX_FILES:
        raise PhotoError("too_many_files", _("一次最多上傳 %(limit)s 張相片，您選了 %(count)s 張。")
                         % {"limit": MAX_FILES, "count": len(files)})
    caption = (caption or "").strip()[:200]
    saved, refused = [], []
    for uploaded in files:
        try:
            processed = process(uploaded)
        except PhotoError as error:
            refused.append(error)
            continue
        try:
            with transaction.atomic():
                saved.append(_store(album, processed, caption))
        except StorageFull as full:
            refused.append(PhotoError("disk_full",
                                      _("%(name)s：%(message)s") % {"name": uploaded.name, "message": full.message}))
    if saved:
        record("albums.photo.uploaded", actor=actor, unit=album.unit, obj=album,
               changes={"photos": [photo.pk for photo in saved], "refused": [e.message for e in refused]})
    return saved, refused


@transaction.atomic
def set_caption(photo, caption, *, actor):
    photo = Photo.objects.select_for_update().select_related("album__unit").get(pk=photo.pk)
    _require_manager(actor, photo.album)
    before = photo.caption
    photo.caption = (caption or "").strip()[:200]
    photo.save(update_fields=["caption"])
    record("albums.photo.captioned", actor=actor, unit=photo.album.unit, obj=photo,
           changes={"caption": [before, photo.caption]})
    return photo


def delete_photo(photo, *, actor):
    with transaction.atomic():
        photo = Photo.objects.select_for_update().select_related("album__unit").get(pk=photo.pk)
        _require_manager(actor, photo.album)
        record("albums.photo.deleted", actor=actor, unit=photo.album.unit, obj=photo,
               changes={"album": photo.album.title, "caption": photo.caption})
        photo.delete()
    _delete_files(photo)  # after the commit: a failed delete never leaves a row without its file


def delete_album(album, *, actor):
    with transaction.atomic():
        album = Album.objects.select_for_update().select_related("unit").get(pk=album.pk)
        _require_manager(actor, album)
        photos = list(album.photos.all())
        record("albums.album.deleted", actor=actor, unit=album.unit, obj=album,
               changes={"title": album.title, "photos": len(photos)})
        album.delete()
    for photo in photos:
        _delete_files(photo)


def _snapshot(album):
    return {name: getattr(album, name) for name in ALBUM_FIELDS}


@transaction.atomic
def save_album(form, *, actor):
    album = form.instance
    creating = album.pk is None
    before = {} if creating else _snapshot(Album.objects.select_for_update().get(pk=album.pk))
    access.require_unit(actor, form.cleaned_data.get("unit") or album.unit)
    album = form.save(commit=False)
    if creating:
        album.created_by = actor
    album.save()
    record("albums.album.created" if creating else "albums.album.updated", actor=actor, unit=album.unit, obj=album,
           changes=diff(before, _snapshot(album)))
    return album
