"""The record book of the session user, ready to print: the cover (holder) and the sections.

The PDF (`pdf.py`) and the print view draw the same `Book`, so they always agree.
"""

import dataclasses
import datetime as dt
import io
import logging

from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from volnet.lib import masking, rocdate
from volnet.recordbook import queries
from volnet.records import queries as record_queries
from volnet.units.models import Membership, Unit

logger = logging.getLogger(__name__)

NO_BOOK = "尚未領有紀錄冊，請洽運用單位申請"
NO_PHOTO = "未上傳大頭照"
BAD_PHOTO = "大頭照無法讀取，請重新上傳"
NO_AUTHORITY = "（尚無發給單位）"

# 2-inch ID photo, 35 × 45 mm; 300 dpi is plenty for print and keeps the PDF small.
PHOTO_PIXELS = (413, 531)


@dataclasses.dataclass
class Holder:
    name: str
    masked_id: str
    book_number: str  # empty when the volunteer has no valid book
    authority: str
    photo: bytes | None  # a small JPEG, or None
    photo_note: str  # why there is no photo

    @property
    def number_text(self):
        return self.book_number or NO_BOOK


@dataclasses.dataclass
class Book:
    holder: Holder
    sections: list
    printed_on: dt.date
    filter_text: str

    @property
    def printed_on_roc(self):
        return rocdate.format(self.printed_on)

    @property
    def filename(self):
        return pdf_filename(self.printed_on)


def pdf_filename(day):
    """志願服務紀錄冊-115-11-25.pdf (the ROC print date)."""
    return f"志願服務紀錄冊-{day.year - rocdate.ROC_OFFSET}-{day.month:02d}-{day.day:02d}.pdf"


def photo_jpeg(user):
    """(JPEG bytes or None, note). The photo is shrunk to print size; a broken file is reported, not raised."""
    if not user.photo:
        return None, NO_PHOTO
    try:
        with user.photo.open("rb") as handle, Image.open(handle) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_PIXELS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            return out.getvalue(), ""
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("photo of user %s cannot be read", user.pk)
        return None, BAD_PHOTO


def issuing_authority(user, book):
    """發給單位: the book's authority; without a book, the competent authority of the volunteer's unit."""
    if book is not None:
        return book.authority.name
    membership = (
        Membership.objects.filter(volunteer=user)
        .select_related("unit__authority")
        .order_by("status", "joined_on", "id")  # "active" sorts before "ended"
        .first()
    )
    if membership is not None:
        return membership.unit.authority.name
    return NO_AUTHORITY


def holder(user):
    book = record_queries.current_record_book(user)
    photo, note = photo_jpeg(user)
    return Holder(
        name=user.name,
        masked_id=masking.mask_id(user.national_id),
        book_number=book.number if book else "",
        authority=issuing_authority(user, book),
        photo=photo,
        photo_note=note,
    )


def describe(filters, tab=None):
    """The filters in words, printed under each section's heading: 單位：…；服務時間：…"""
    parts = []
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).first()
        if unit is not None:
            parts.append(f"單位：{unit.label}")
    if filters.item:
        parts.append(f"服務項目：{filters.item}")
    if filters.start or filters.end:
        parts.append(f"期間：{rocdate.format_range(filters.start, filters.end)}")
    return "；".join(parts)


def assemble(user, filters, today=None):
    return Book(
        holder=holder(user),
        sections=queries.sections(user, filters),
        printed_on=today or timezone.localdate(),
        filter_text=describe(filters),
    )
