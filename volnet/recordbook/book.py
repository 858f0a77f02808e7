"""The record book of the session user, ready to print: the cover (holder) and the sections.

The PDF (`pdf.py`) and the print view draw the same `Book`, so they always agree.

The record book is the official Chinese form: whatever language the reader chose for the site, the
book is assembled in the form's language (`assemble` below), and every text in it is a plain string
by then, so the PDF and the print view show it as it is. The query page, which shares the labels of
`queries.py`, builds its sections in the reader's language.
"""

import dataclasses
import datetime as dt
import io
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from volnet.lib import masking, rocdate
from volnet.recordbook import queries
from volnet.records import queries as record_queries
from volnet.units.models import Membership, Unit

logger = logging.getLogger(__name__)

# Translators: the texts of this file are printed on the official Chinese record book, which stays in
# Chinese in every language of the site.
NO_BOOK = _("尚未領有紀錄冊，請洽運用單位申請")
NO_PHOTO = _("未上傳大頭照")
BAD_PHOTO = _("大頭照無法讀取，請重新上傳")
NO_AUTHORITY = _("（尚無發給單位）")

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
    number_text: str = ""  # the book number, or why there is none


@dataclasses.dataclass(frozen=True)
class Verification:
    """The issued book's verification code (as printed, in groups) and the address its QR code holds."""

    code: str
    url: str  # this book's page
    lookup_url: str  # the page where a code is typed


@dataclasses.dataclass
class Book:
    holder: Holder
    sections: list
    printed_on: dt.date
    filter_text: str
    verification: Verification | None = None  # None: a draft (the print view), not an issued document
    totals: list = dataclasses.field(default_factory=list)  # [(label, value)], see `section_totals`

    @property
    def printed_on_roc(self):
        return rocdate.format(self.printed_on)

    @property
    def filename(self):
        return pdf_filename(self.printed_on)


def form_language():
    """Everything printed in the book is made inside `with form_language():`."""
    return translation.override(settings.LANGUAGE_CODE)


def pdf_filename(day):
    """志願服務紀錄冊-115-11-25.pdf (the ROC print date): named like the form, in the form's language."""
    with form_language():
        return gettext("志願服務紀錄冊-%(year)s-%(month)02d-%(day)02d.pdf") % {
            "year": day.year - rocdate.ROC_OFFSET, "month": day.month, "day": day.day}


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
        Membership.objects.accepted().filter(volunteer=user)
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
        authority=str(issuing_authority(user, book)),
        photo=photo,
        photo_note=str(note),
        number_text=book.number if book else str(NO_BOOK),
    )


def describe(filters, tab=None):
    """The filters in words, printed under each section's heading: 單位：…；服務時間：…"""
    parts = []
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).first()
        if unit is not None:
            parts.append(gettext("單位：%(unit)s") % {"unit": unit.label})
    if filters.item:
        parts.append(gettext("服務項目：%(item)s") % {"item": filters.item})
    if filters.start or filters.end:
        parts.append(gettext("期間：%(period)s") % {"period": rocdate.format_range(filters.start, filters.end)})
    return pgettext("between the filters of the record book", "；").join(parts)


def section_totals(sections):
    """[(label, value)] of each section as printed at its foot (the number of rows, the total): what the
    public verification page shows the book certified."""
    totals = []
    for section in sections:
        totals.append((gettext("%(section)s筆數") % {"section": section.label}, str(section.count)))
        if section.total_label:
            totals.append((section.total_label, section.total_value))
    return totals


def assemble(user, filters, today=None, verification=None):
    """The book of `user`, in the form's language whatever the reader's."""
    with form_language():
        sections = queries.sections(user, filters)
        return Book(
            holder=holder(user),
            sections=sections,
            printed_on=today or timezone.localdate(),
            filter_text=describe(filters),
            verification=verification,
            totals=section_totals(sections),
        )
