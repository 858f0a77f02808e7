"""Domain actions of the honor card: applications (card and awards), issuance, QR tokens, the venue check.

Each action is one function: atomic, locks what it changes, raises `HonorCardError` (a code and a
message in the reader's language) and writes an audit entry. Tenancy comes from `volnet.units.access`.
"""

import dataclasses
import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit import log as audit
from volnet.eligibility import engine
from volnet.eligibility.models import rule_text
from volnet.errors import DomainError
from volnet.honorcard import queries
from volnet.honorcard.models import (
    AwardApplication,
    CardCheck,
    CardEvent,
    CardToken,
    HonorCard,
    HonorCardApplication,
)
from volnet.lib import rocdate
from volnet.lib.rocdate import ROC_OFFSET
from volnet.lib.words import join_list
from volnet.notifications.services import Kind, notify
from volnet.paging import delete_in_batches
from volnet.records.models import Award
from volnet.units import access, operating
from volnet.units.models import Authority, Membership

Verdict = CardCheck.Verdict
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class HonorCardError(DomainError):
    """A refused honor-card, application or award action (volnet.errors.DomainError)."""


def token_lifetime():
    return dt.timedelta(seconds=settings.HONOR_CARD_TOKEN_SECONDS)


def purge_tokens(now=None, kept=dt.timedelta(days=1)):
    """Delete QR codes that expired more than `kept` ago (beat, and `manage.py purge_card_tokens`). The check
    log keeps its rows (card, time, verdict); only the link to the spent code is cleared. Returns how many."""
    cutoff = (now or timezone.now()) - kept
    return delete_in_batches(CardToken.objects.filter(expires_at__lt=cutoff))


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


# ------------------------------------------------------------------------------------------ applications


def card_authority(unit):
    """Honor cards are issued by the unit's local competent authority (志願服務法 §20)."""
    return unit.authority


def award_authority(unit):
    """Awards are reviewed by the unit's sector authority (獎勵辦法 §3), else its competent authority."""
    return unit.sector_authority or unit.authority


def _require_member(actor, unit, volunteer):
    access.require_unit(actor, unit)
    operating.require_operating(unit, HonorCardError)
    if not Membership.objects.active().filter(unit=unit, volunteer=volunteer).exists():
        raise HonorCardError("not_member", _("此志工不是本單位的服務中志工，無法由本單位申請。"))


def _require_reviewer(actor, application):
    if not access.authorities_of(actor).filter(pk=application.authority_id).exists():
        raise PermissionDenied(_("僅審核機關的承辦人可以審核此申請。"))


def _not_eligible(result):
    return HonorCardError("not_eligible", _("不符合申請資格：%(reasons)s") % {"reasons": join_list(result.reasons)})


def apply_for_card(*, actor, volunteer, unit, today=None, request=None):
    """The unit applies for a 榮譽卡 for an eligible volunteer; the authority decides."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _require_member(actor, unit, volunteer)
        type(volunteer).objects.select_for_update().filter(pk=volunteer.pk).first()
        if HonorCardApplication.objects.filter(volunteer=volunteer,
                                               status=HonorCardApplication.Status.PENDING).exists():
            raise HonorCardError("pending", _("此志工已有審核中的榮譽卡申請。"))
        result = queries.evaluate_volunteer(volunteer, today).honor_card
        if not result.eligible:
            raise _not_eligible(result)
        try:
            with transaction.atomic():
                application = HonorCardApplication.objects.create(
                    volunteer=volunteer, unit=unit, authority=card_authority(unit), hours=result.hours,
                    months=result.months, window_start=result.window_start, window_end=result.window_end,
                    applied_by=actor,
                )
        except IntegrityError:
            raise HonorCardError("pending", _("此志工已有審核中的榮譽卡申請。")) from None
        audit.record(
            "honorcard.application.created", actor=actor, volunteer=volunteer, unit=unit, obj=application,
            changes={"hours": str(result.hours), "window": [str(result.window_start), str(result.window_end)]},
            request=request,
        )
    return application


def apply_for_award(*, actor, volunteer, unit, scheme, today=None, request=None):
    """The unit applies for the highest medal or badge level the volunteer has reached."""
    today = today or timezone.localdate()
    if scheme not in engine.AWARD_SCHEMES:
        raise HonorCardError("scheme", _("沒有這種獎勵。"))
    with transaction.atomic():
        _require_member(actor, unit, volunteer)
        type(volunteer).objects.select_for_update().filter(pk=volunteer.pk).first()
        if AwardApplication.objects.filter(volunteer=volunteer, scheme=scheme,
                                           status=AwardApplication.Status.PENDING).exists():
            raise HonorCardError("pending", _("此志工已有審核中的同類獎勵申請。"))
        result = queries.evaluate_volunteer(volunteer, today).awards[scheme]
        if not result.eligible:
            raise _not_eligible(result)
        try:
            with transaction.atomic():
                application = AwardApplication.objects.create(
                    volunteer=volunteer, unit=unit, authority=award_authority(unit), scheme=scheme, rule=result.rule,
                    hours=result.hours, months=result.months, window_start=result.window_start,
                    window_end=result.window_end, applied_by=actor,
                )
        except IntegrityError:
            raise HonorCardError("pending", _("此志工已有審核中的同類獎勵申請。")) from None
        audit.record(
            "honorcard.award_application.created", actor=actor, volunteer=volunteer, unit=unit, obj=application,
            changes={"award": result.rule.name, "hours": str(result.hours)}, request=request,
        )
    return application


def _locked(application):
    return type(application).objects.select_for_update().select_related("unit", "authority").get(pk=application.pk)


def _locked_for_review(actor, application):
    """The application, locked, for a reviewer of its authority; refused once it has been decided."""
    application = _locked(application)
    _require_reviewer(actor, application)
    if not application.is_pending:
        raise HonorCardError("decided", _("此申請%(status)s，無法再審核。") % {
            "status": application.get_status_display()})
    return application


def _decide(application, status, actor, **fields):
    """Record the decision on a locked application: its status, who and when, and `fields` (card, award, note)."""
    application.status = status
    application.decided_by = actor
    application.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["status", "decided_by", "decided_at", *fields])


def _action_prefix(application):
    return "honorcard.application" if isinstance(application, HonorCardApplication) else "honorcard.award_application"


def cancel_application(*, actor, application, request=None):
    """The applying unit withdraws a pending application (the manual's 取消 button)."""
    with transaction.atomic():
        application = _locked(application)
        access.require_unit(actor, application.unit)
        if not application.is_pending:
            raise HonorCardError("decided",
                                 _("此申請%(status)s，無法撤回。") % {"status": application.get_status_display()})
        _decide(application, application.Status.CANCELLED, actor)
        audit.record(f"{_action_prefix(application)}.cancelled", actor=actor, volunteer=application.volunteer,
                     unit=application.unit, obj=application, request=request)
    return application


def reject_application(*, actor, application, note, request=None):
    note = (note or "").strip()
    if not note:
        raise HonorCardError("note", _("請填寫駁回原因，讓申請單位知道如何補正。"))
    with transaction.atomic():
        application = _locked_for_review(actor, application)
        _decide(application, application.Status.REJECTED, actor, decision_note=note[:200])
        audit.record(f"{_action_prefix(application)}.rejected", actor=actor, volunteer=application.volunteer,
                     unit=application.unit, obj=application, changes={"note": application.decision_note},
                     request=request)
        if isinstance(application, HonorCardApplication):
            notify(application.volunteer, Kind.CARD_RETURNED, key=f"card-returned:{application.pk}",
                   params={"reason": application.decision_note}, link=reverse("portal:honors"))
    return application


def next_card_number(authority, day):
    """`TXG-SOC-115-00001`: the authority's code, the ROC year of issue, a serial. Call with the authority locked."""
    prefix = f"{authority.code}-{day.year - ROC_OFFSET:03d}-"
    last = (
        HonorCard.objects.filter(authority=authority, number__startswith=prefix)
        .order_by("-number").values_list("number", flat=True).first()
    )
    try:
        serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    except ValueError:
        serial = HonorCard.objects.filter(authority=authority, number__startswith=prefix).count() + 1
    return f"{prefix}{serial:05d}"


def approve_card_application(*, actor, application, today=None, request=None):
    """Approve and issue the card: valid from the later of today and the day after the previous card
    expires, to the same date 3 years later (花蓮 example 1: 112/12/13 → 115/12/13)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = _locked_for_review(actor, application)
        authority = Authority.objects.select_for_update().get(pk=application.authority_id)
        result = queries.evaluate_volunteer(application.volunteer_id, today).honor_card
        if not result.eligible:
            raise _not_eligible(result)
        previous = (
            HonorCard.objects.active().filter(volunteer_id=application.volunteer_id).order_by("-valid_to").first()
        )
        valid_from = today if previous is None else max(today, previous.valid_to + dt.timedelta(days=1))
        valid_to = engine.add_months(valid_from, result.rule.validity_months or 36)
        renewal = HonorCard.objects.filter(volunteer_id=application.volunteer_id).exists()  # 換發: a card before
        card = HonorCard.objects.create(
            volunteer_id=application.volunteer_id, authority=authority, number=next_card_number(authority, valid_from),
            valid_from=valid_from, valid_to=valid_to, counted_from=result.window_start, counted_to=result.window_end,
            kind=HonorCard.Kind.RENEWAL if renewal else HonorCard.Kind.FIRST,
        )
        CardEvent.objects.create(card=card, action=CardEvent.Action.ISSUED, actor=actor)
        _decide(application, application.Status.APPROVED, actor, card=card)
        audit.record("honorcard.application.approved", actor=actor, volunteer=application.volunteer,
                     unit=application.unit, obj=application, changes={"card": card.number}, request=request)
        audit.record(
            "honorcard.card.issued", actor=actor, volunteer=application.volunteer, unit=application.unit, obj=card,
            changes={"number": card.number, "valid": [str(valid_from), str(valid_to)],
                     "counted": [str(result.window_start), str(result.window_end)], "hours": str(result.hours)},
            request=request,
        )
        notify(application.volunteer, Kind.CARD_ISSUED, key=f"card-issued:{card.pk}",
               params={"until": rocdate.format(valid_to)}, link=reverse("honorcard:card"))
    return card


def approve_award_application(*, actor, application, certificate_number="", today=None, request=None):
    """Approve a medal or badge: writes the 獎勵紀錄 (records.Award) the volunteer sees under 榮譽紀錄."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = _locked_for_review(actor, application)
        type(application.volunteer).objects.select_for_update().filter(pk=application.volunteer_id).first()
        result = queries.evaluate_volunteer(application.volunteer_id, today).awards[application.scheme]
        rule = application.rule
        if rule.rank <= result.held_rank:
            raise HonorCardError("held", _("此志工已領有%(held)s，不得再頒發%(level)s。") % {
                "held": rule_text(result.held), "level": rule.display_level})
        if not result.eligible or result.rule.rank < rule.rank:
            raise _not_eligible(result)
        award = Award.objects.create(
            volunteer_id=application.volunteer_id, unit=application.unit, registrant=actor,
            kind=engine.AWARD_KIND[application.scheme], name=rule.name, level=rule.level_label, awarded_on=today,
            granted_by=application.authority.name, certificate_number=(certificate_number or "").strip()[:60],
        )
        _decide(application, application.Status.APPROVED, actor, award=award)
        audit.record("honorcard.award_application.approved", actor=actor, volunteer=application.volunteer,
                     unit=application.unit, obj=application, changes={"award": rule.name}, request=request)
        audit.record("records.award.created", actor=actor, volunteer=application.volunteer, unit=application.unit,
                     obj=award, changes={"name": rule.name, "level": rule.level_label}, request=request)
    return award


# ------------------------------------------------------------------------------------------ QR tokens


def card_is_valid(card, today):
    return card.is_valid_on(today) and card.volunteer.is_active


def void_tokens(card, now=None):
    """Void every QR code of the card that could still be used (【刷新 QRcode】)."""
    now = now or timezone.now()
    return CardToken.objects.filter(card=card, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now).update(
        voided_at=now
    )


def issue_token(card, now=None):
    """A new QR code for the card, voiding the previous ones. Returns (raw token, CardToken); only the
    SHA-256 of the raw token is stored."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(18)
    with transaction.atomic():
        void_tokens(card, now)
        token = CardToken.objects.create(card=card, token_hash=hash_token(raw), created_at=now,
                                         expires_at=now + token_lifetime())
    return raw, token


@dataclasses.dataclass
class CheckOutcome:
    verdict: str
    token: CardToken | None
    card: HonorCard | None
    check: CardCheck

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID


STATE_VERDICT = {"used": Verdict.USED, "voided": Verdict.VOIDED, "expired": Verdict.EXPIRED}


def check_token(raw, *, now=None, ip=None, user_agent=""):
    """The venue check. A live token is consumed by one conditional UPDATE; among concurrent checks of
    one token exactly one sees its row updated, and only that one is 有效. Every check is logged."""
    now = now or timezone.now()
    token = None
    if TOKEN_PATTERN.match(raw or ""):
        token = (
            CardToken.objects.select_related("card__volunteer", "card__authority")
            .filter(token_hash=hash_token(raw)).first()
        )
    card = token.card if token else None
    if token is None:
        verdict = Verdict.UNKNOWN
    elif not card_is_valid(card, timezone.localdate(now)):
        verdict = Verdict.CARD_INVALID
    else:
        verdict = STATE_VERDICT.get(token.state(now))
    with transaction.atomic():
        if verdict is None:
            consumed = CardToken.objects.filter(
                pk=token.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
            ).update(used_at=now)
            if consumed == 1:
                token.used_at = now
                verdict = Verdict.VALID
            else:  # another check (or a refresh) got there first
                token.refresh_from_db(fields=["used_at", "voided_at", "expires_at"])
                verdict = STATE_VERDICT.get(token.state(now), Verdict.USED)
        check = CardCheck.objects.create(
            card=card, token=token, at=now, verdict=verdict, ip_address=ip or None, user_agent=(user_agent or "")[:300]
        )
    return CheckOutcome(verdict=verdict, token=token, card=card, check=check)
