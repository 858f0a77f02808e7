"""Issuing and withdrawing documents. `record` writes down a print once its file exists; a newer print of the
same kind and scope for the same person supersedes the older ones at once. `revoke` (the issuer withdraws
it) and `cancel` (a 績效證明書 cancelled by its unit) keep the row and say why on the public page."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import record as audit
from volnet.documents import codes
from volnet.documents.models import Document
from volnet.errors import DomainError
from volnet.lib import masking

Status = Document.Status


class DocumentError(DomainError):
    """A refused document action (volnet.errors.DomainError)."""


def new_code():
    return codes.new_code()


def verify_url(code):
    """The absolute address of the public verification page, printed and put into the QR code."""
    return settings.SITE_URL.rstrip("/") + reverse("documents:verify", args=[codes.display(code)])


def lookup_url():
    return settings.SITE_URL.rstrip("/") + reverse("documents:lookup")


def fingerprint(data):
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def record(kind, person, *, code, data, issuer, issued_on, totals=(), scope="", request=None):
    """Write down the issued file `data` under `code` (made with `new_code` before the file was drawn, since
    the file prints it). Older valid prints of the same kind and scope for `person` become superseded."""
    document = Document.objects.create(
        code=code, kind=kind, scope=scope[:300], person=person, masked_name=masking.mask_name(person.name),
        masked_id=masking.mask_id(person.national_id), issuer=str(issuer)[:200], issued_on=issued_on,
        totals=[[str(label), str(value)] for label, value in totals], sha256=fingerprint(data),
    )
    older = Document.objects.select_for_update().filter(
        person=person, kind=kind, scope=document.scope, status=Status.VALID).exclude(pk=document.pk)
    older.update(status=Status.SUPERSEDED, status_at=timezone.now(), superseded_by=document)
    audit("document.issue", actor=None if request is not None else person, volunteer=person,
          obj=document, changes={"kind": kind, "code": document.display_code, "sha256": document.sha256},
          request=request)
    return document


def _withdraw(document, status, actor, reason, request):
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("reason_required", _("請填寫原因。"), field="reason")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Status.VALID:
            raise DocumentError("not_valid", _("這份文件已經不是有效狀態（%(status)s）。")
                                % {"status": document.get_status_display()})
        document.status, document.status_at, document.status_reason = status, timezone.now(), reason[:200]
        document.save(update_fields=["status", "status_at", "status_reason"])
        audit(f"document.{status}", actor=actor, volunteer=document.person, obj=document,
              changes={"code": document.display_code, "reason": reason}, request=request)
    return document


def revoke(document, actor, reason, request=None):
    return _withdraw(document, Status.REVOKED, actor, reason, request)


def cancel(document, actor, reason, request=None):
    return _withdraw(document, Status.CANCELLED, actor, reason, request)


def cancel_scope(kind, person, scope, actor, reason, request=None):
    """Every print of one thing (a 績效證明書 by its number) that still stands or was superseded becomes
    cancelled, with the reason: whichever print someone holds, the public page says the thing is cancelled."""
    prints = Document.objects.filter(kind=kind, person=person, scope=scope,
                                     status__in=[Status.VALID, Status.SUPERSEDED])
    codes_cancelled = [document.display_code for document in prints]
    prints.update(status=Status.CANCELLED, status_at=timezone.now(), status_reason=(reason or "")[:200])
    if codes_cancelled:
        audit("document.cancelled", actor=actor, volunteer=person, changes={"codes": codes_cancelled,
                                                                              "reason": reason}, request=request)
    return len(codes_cancelled)


def find(text):
    """The document a typed or scanned code names, or None (also for anything that cannot be a code)."""
    code = codes.normalise(text)
    if not code:
        return None
    return Document.objects.filter(code=code).select_related("superseded_by").first()


def issued_to(person):
    """The person's own documents, newest first (我的檔案 and the data download)."""
    return Document.objects.filter(person=person)
