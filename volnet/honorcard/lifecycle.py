"""The honor card after issue: 掛失 by its holder, 補發 and 註銷 by the issuing authority.

- 掛失 (the volunteer): the card and every QR code of it stop at once; the venue check answers 卡片已失效.
- 補發 (the authority, lost or damaged): the old card stops at once (if it had not already) and a new card
  with a new number takes over the rest of the old one's validity and its counting window (the hours were
  counted once, for the old card; a replacement counts nothing again).
- 註銷 (the authority, with a reason): the card stops for good.
- 換發, the card for the next window, is the ordinary application (`services.apply_for_card`) once the
  volunteer is eligible again; its card is marked 換發.

Each step is a `CardEvent` the volunteer reads under 榮譽卡紀錄, and an audit entry.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit import log as audit
from volnet.honorcard.models import CardEvent, HonorCard
from volnet.honorcard.services import HonorCardError, next_card_number, void_tokens
from volnet.units import access
from volnet.units.models import Authority

Status = HonorCard.Status
Action = CardEvent.Action
REASON_LENGTH = 200


def _locked(card):
    return HonorCard.objects.select_for_update().select_related("volunteer", "authority").get(pk=card.pk)


def _stop(card, status, reason, now):
    card.status, card.ended_at, card.ended_reason = status, now, reason[:REASON_LENGTH]
    card.save(update_fields=["status", "ended_at", "ended_reason"])
    void_tokens(card, now)


def _reason(text):
    reason = (text or "").strip()
    if not reason:
        raise HonorCardError("reason_required", _("請填寫原因。"), field="reason")
    return reason[:REASON_LENGTH]


def may_manage(actor, card):
    """Staff of the card's issuing authority."""
    return access.authorities_of(actor).filter(pk=card.authority_id).exists()


def authority_cards(actor):
    """The cards the actor's authorities issued (the 榮譽卡管理 page)."""
    return HonorCard.objects.filter(authority__in=access.authorities_of(actor))


def report_lost(*, volunteer, card, request=None):
    """掛失: the holder stops their own card at once."""
    now = timezone.now()
    with transaction.atomic():
        card = _locked(card)
        if card.volunteer_id != volunteer.pk:
            raise PermissionDenied(_("這不是您的榮譽卡。"))
        if card.status != Status.ACTIVE:
            raise HonorCardError("not_active", _("這張榮譽卡已%(status)s。") % {"status": card.get_status_display()})
        _stop(card, Status.LOST, _("持卡人掛失"), now)
        CardEvent.objects.create(card=card, action=Action.REPORTED_LOST, at=now, actor=volunteer)
        audit.record("honorcard.card.reported_lost", actor=volunteer, volunteer=volunteer, obj=card,
                     changes={"number": card.number}, request=request)
    return card


def replace_card(*, actor, card, reason, request=None):
    """補發: a new card (new number) for the rest of the old one's validity; the old one stops at once."""
    reason = _reason(reason)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        card = _locked(card)
        if not may_manage(actor, card):
            raise PermissionDenied(_("僅發卡機關的承辦人可以補發此卡。"))
        if card.status not in (Status.ACTIVE, Status.LOST):
            raise HonorCardError("not_replaceable", _("這張榮譽卡已%(status)s，不能補發。")
                                 % {"status": card.get_status_display()})
        if card.valid_to < today:
            raise HonorCardError("expired", _("這張榮譽卡已過期，請改為申請換發。"))
        authority = Authority.objects.select_for_update().get(pk=card.authority_id)
        valid_from = max(today, card.valid_from)
        new = HonorCard.objects.create(
            volunteer=card.volunteer, authority=authority, number=next_card_number(authority, valid_from),
            valid_from=valid_from, valid_to=card.valid_to, counted_from=card.counted_from,
            counted_to=card.counted_to, kind=HonorCard.Kind.REPLACEMENT, replaces=card,
        )
        _stop(card, Status.REPLACED, reason, now)
        CardEvent.objects.create(card=card, action=Action.REPLACED, at=now, actor=actor, reason=reason)
        CardEvent.objects.create(card=new, action=Action.ISSUED, at=now, actor=actor, reason=reason)
        audit.record("honorcard.card.replaced", actor=actor, volunteer=card.volunteer, obj=new,
                     changes={"old": card.number, "new": new.number, "reason": reason}, request=request)
    return new


def revoke_card(*, actor, card, reason, request=None):
    """註銷 by the issuing authority, with its reason; the card and its QR codes stop at once."""
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        card = _locked(card)
        if not may_manage(actor, card):
            raise PermissionDenied(_("僅發卡機關的承辦人可以註銷此卡。"))
        if card.status not in (Status.ACTIVE, Status.LOST):
            raise HonorCardError("not_active", _("這張榮譽卡已%(status)s。") % {"status": card.get_status_display()})
        _stop(card, Status.REVOKED, reason, now)
        CardEvent.objects.create(card=card, action=Action.REVOKED, at=now, actor=actor, reason=reason)
        audit.record("honorcard.card.revoked", actor=actor, volunteer=card.volunteer, obj=card,
                     changes={"number": card.number, "reason": reason}, request=request)
    return card


def life_of(volunteer):
    """The volunteer's cards, newest first, each with its events (榮譽卡紀錄)."""
    return HonorCard.objects.filter(volunteer=volunteer).select_related("authority").prefetch_related(
        "events").order_by("-issued_at", "-pk")
