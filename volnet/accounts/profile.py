"""What a person may change about themselves (我的檔案): contact details, email (verified), photo.

Each action is one function: it locks the person's row, changes it, and writes an audit entry.
Errors carry a code and a message, translated to the visitor's language, that can be shown as it is.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import files, pictures
from volnet.mailer import outbox

CONTACT_FIELDS = ("phone", "address", "emergency_contact", "emergency_phone")
# Changing these in 我的檔案 needs the current password (re-authentication): the e-mail receives reset
# links and the phone is how a unit reaches and recognises the person, so whoever holds only the session
# must not move them. The address and the emergency contact hand nothing over and need no password.
REAUTH_FIELDS = ("phone", "email")
EMAIL_SALT = "volnet.portal.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60  # the link in the mail works for a day

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_SIZE = (414, 552)  # 3:4, an ID photo at about 300 dpi
PHOTO_MIN_SIZE = (150, 200)
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
PHOTO_FORMATS = {"JPEG", "PNG"}


class ProfileError(DomainError):
    """A refused change to one's own profile (volnet.errors.DomainError)."""


def _locked(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# ---------------------------------------------------------------- contact details


def fields_needing_password(user, data):
    """Which of REAUTH_FIELDS `data` (cleaned 我的檔案 input) would change for `user`."""
    changed = []
    if (data.get("phone") or "").strip() != (user.phone or ""):
        changed.append("phone")
    email = (data.get("email") or "").strip()
    if email and email.lower() != (user.email or "").lower():
        changed.append("email")
    return changed


@transaction.atomic
def update_contact(user, data, request=None):
    """Save phone, address and emergency contact. Returns the {field: [old, new]} that changed."""
    person = _locked(user)
    before = {field: getattr(person, field) for field in CONTACT_FIELDS}
    after = {field: (data.get(field) or "").strip() for field in CONTACT_FIELDS}
    changes = log.diff(before, after)
    if not changes:
        return {}
    for field, value in after.items():
        setattr(person, field, value)
    person.save(update_fields=list(CONTACT_FIELDS))
    for field, value in after.items():
        setattr(user, field, value)
    log.record("portal.profile.updated", actor=person, volunteer=person, obj=person, changes=changes, request=request)
    return changes


def photo_response(person):
    """The person's ID photo as a private image response (never cached: a face is personal data, and a shared
    computer must forget it); 404 when there is none. The caller has decided who may see it."""
    picture = person.photo
    if not picture:
        raise Http404(_("尚未上傳大頭照。"))
    try:
        handle = picture.open("rb")
    except FileNotFoundError:
        raise Http404(_("找不到大頭照檔案。")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- email change


def email_change_token(user, new_email):
    """A signed token naming the person, the new address and the address it replaces."""
    return signing.dumps({"u": user.pk, "e": new_email, "o": user.email}, salt=EMAIL_SALT, compress=True)


def request_email_change(user, new_email, request=None):
    """Mail a verification link to `new_email`; nothing changes until the link is followed."""
    new_email = (new_email or "").strip()
    if new_email.lower() == (user.email or "").lower():
        raise ProfileError("same_email", _("這就是您目前的電子信箱，不需要變更。"))
    token = email_change_token(user, new_email)
    link = settings.SITE_URL.rstrip("/") + reverse("portal:verify_email", args=[token])
    context = {
        "name": user.name,
        "link": link,
        "hours": EMAIL_CHANGE_MAX_AGE // 3600,
        "site_name": gettext(settings.SITE_NAME),
    }
    outbox.queue_message(
        to=new_email, subject=_("【%(site_name)s】請驗證您的新電子信箱") % context,
        text=render_to_string("accounts/mail/new_email_verify.txt", context),
        html=render_to_string("accounts/mail/new_email_verify.html", context),
        template="accounts/mail/new_email_verify",
    )
    log.record("portal.email.change_requested", actor=user, volunteer=user, obj=user,
               changes={"email_requested": new_email}, request=request)
    return token


def read_email_change(token, user):
    """The new address a token carries, if it is valid for `user` now; else ProfileError."""
    try:
        payload = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise ProfileError("expired",
                           _("這個驗證連結已超過 24 小時，請回到「我的檔案」重新申請變更電子信箱。")) from None
    except signing.BadSignature:
        raise ProfileError("invalid", _("這個驗證連結不正確，請確認是否完整複製信中的網址。")) from None
    if payload.get("u") != user.pk:
        raise ProfileError("other_person", _("這個驗證連結不屬於目前登入的帳號。"))
    if payload.get("o") != user.email:
        raise ProfileError("used", _("這個驗證連結已經使用過或已被較新的申請取代。"))
    return payload["e"]


@transaction.atomic
def confirm_email_change(user, token, request=None):
    """Apply the change a valid token carries; tell the old address. Returns the new address."""
    person = _locked(user)
    new_email = read_email_change(token, person)
    old_email = person.email
    person.email = new_email
    person.email_verified_at = timezone.now()
    person.save(update_fields=["email", "email_verified_at"])
    user.email, user.email_verified_at = person.email, person.email_verified_at
    log.record("portal.email.changed", actor=person, volunteer=person, obj=person,
               changes={"email": [old_email, new_email]}, request=request)
    if old_email:
        context = {"name": person.name, "site_name": gettext(settings.SITE_NAME), "new_email": new_email}
        outbox.queue_message(
            to=old_email, subject=_("【%(site_name)s】您的電子信箱已變更") % context,
            text=render_to_string("accounts/mail/email_changed.txt", context),
            html=render_to_string("accounts/mail/email_changed.html", context), template="accounts/mail/email_changed",
        )
    return new_email


# ---------------------------------------------------------------- photo


def process_photo(data):
    """Uploaded bytes → a clean JPEG: JPEG/PNG only, turned upright, centre-cropped to 3:4,
    resized to PHOTO_SIZE, re-encoded without EXIF, GPS or any other metadata."""
    if len(data) > PHOTO_MAX_BYTES:
        raise ProfileError("too_large", _("照片檔案超過 5 MB，請換一張較小的照片。"))
    if not data:
        raise ProfileError("empty", _("請選擇要上傳的照片。"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in PHOTO_FORMATS:
                raise ProfileError("format", _("照片只接受 JPEG 或 PNG 格式。"))
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ProfileError("too_many_pixels", _("照片的像素太多，請換一張較小的照片。"))
            if width < PHOTO_MIN_SIZE[0] or height < PHOTO_MIN_SIZE[1]:
                raise ProfileError("too_small", _("照片太小（至少 150×200 像素），請換一張較清晰的照片。"))
            if image.format == "JPEG":
                image.draft("RGB", (PHOTO_SIZE[0] * 2, PHOTO_SIZE[1] * 2))  # decode at a reduced scale
            image.load()
            image = ImageOps.exif_transpose(image)
    except ProfileError:
        raise
    except pictures.BOMB:
        raise ProfileError("too_many_pixels", _("照片的像素太多，請換一張較小的照片。")) from None
    except UnidentifiedImageError:
        raise ProfileError("format", _("無法讀取這個檔案，照片只接受 JPEG 或 PNG 格式。")) from None
    except (OSError, ValueError, SyntaxError):
        raise ProfileError("broken", _("照片檔案已損壞或不完整，請重新選擇。")) from None

    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image = ImageOps.fit(image, PHOTO_SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue()


def set_photo(user, uploaded, request=None):
    """Validate and store a new ID photo for `user` (the record book cover uses it)."""
    clean = process_photo(read_upload(uploaded))
    return replace_photo(user, clean, actor=user, action="portal.photo.updated", request=request)


def read_upload(uploaded):
    """The bytes of an uploaded photo, refused when missing or over PHOTO_MAX_BYTES before it is read."""
    if uploaded is None:
        raise ProfileError("empty", _("請選擇要上傳的照片。"))
    if uploaded.size > PHOTO_MAX_BYTES:
        raise ProfileError("too_large", _("照片檔案超過 5 MB，請換一張較小的照片。"))
    return uploaded.read()


def replace_photo(user, clean, *, actor, action, unit=None, request=None):
    """Store `clean` (what process_photo made) as the person's photo; the old file goes once committed.
    The audit entry `action` names who did it (the person, or a unit's staff)."""
    with transaction.atomic():
        person = _locked(user)
        old = person.photo.name if person.photo else ""
        try:
            files.save_file(person.photo, f"{uuid.uuid4().hex}.jpg", clean)
        except files.StorageFull:
            raise ProfileError("storage_full", files.FULL_MESSAGE) from None
        person.save(update_fields=["photo"])
        user.photo = person.photo
        log.record(action, actor=actor, volunteer=person, unit=unit, obj=person,
                   changes={"photo": [old, person.photo.name]}, request=request)
        if old and old != person.photo.name:
            storage = person.photo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return person.photo
