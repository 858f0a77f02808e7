"""The card after issue: 掛失 by the holder, 補發 and 註銷 by the issuing authority; each step stops the old
card and its QR codes at once, and the volunteer sees each one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from volnet.audit.models import AuditEntry
from volnet.honorcard import lifecycle, services
from volnet.honorcard.models import CardEvent, HonorCard
from volnet.honorcard.services import HonorCardError

pytestmark = pytest.mark.django_db
Verdict = services.Verdict


def test_a_lost_card_stops_at_once_with_its_live_qr_code(volunteer, card):
    raw, _token = services.issue_token(card)
    lifecycle.report_lost(volunteer=volunteer, card=card)
    card.refresh_from_db()
    assert card.status == HonorCard.Status.LOST and HonorCard.objects.current_for(volunteer) is None
    assert services.check_token(raw).verdict == Verdict.CARD_INVALID
    assert CardEvent.objects.get(card=card).action == CardEvent.Action.REPORTED_LOST
    assert AuditEntry.objects.filter(action="honorcard.card.reported_lost", volunteer=volunteer).exists()


def test_only_the_holder_reports_their_card_lost(other_volunteer, card):
    with pytest.raises(PermissionDenied):
        lifecycle.report_lost(volunteer=other_volunteer, card=card)


def test_a_replacement_takes_over_the_rest_of_the_validity_and_the_old_qr_is_refused(authority_clerk, card):
    raw, _token = services.issue_token(card)
    new = lifecycle.replace_card(actor=authority_clerk, card=card, reason="遺失")
    card.refresh_from_db()
    assert card.status == HonorCard.Status.REPLACED and card.ended_reason == "遺失"
    assert new.kind == HonorCard.Kind.REPLACEMENT and new.replaces == card and new.number != card.number
    assert new.valid_to == card.valid_to and (new.counted_from, new.counted_to) == (card.counted_from,
                                                                                   card.counted_to)
    assert HonorCard.objects.current_for(card.volunteer) == new
    assert services.check_token(raw).verdict == Verdict.CARD_INVALID  # the venue refuses the old QR code
    fresh, _ = services.issue_token(new)
    assert services.check_token(fresh).verdict == Verdict.VALID


def test_a_card_reported_lost_is_replaced_by_its_authority(volunteer, authority_clerk, card):
    lifecycle.report_lost(volunteer=volunteer, card=card)
    new = lifecycle.replace_card(actor=authority_clerk, card=card, reason="遺失")
    assert [event.action for event in CardEvent.objects.filter(card=card).order_by("at", "id")] == [
        CardEvent.Action.REPORTED_LOST, CardEvent.Action.REPLACED]
    with pytest.raises(HonorCardError):
        lifecycle.replace_card(actor=authority_clerk, card=card, reason="再補一次")
    assert HonorCard.objects.current_for(volunteer) == new


def test_revoking_needs_the_issuing_authority_and_a_reason(authority_clerk, supervisor_a, card):
    with pytest.raises(PermissionDenied):
        lifecycle.revoke_card(actor=supervisor_a, card=card, reason="冒用")
    with pytest.raises(HonorCardError) as refused:
        lifecycle.revoke_card(actor=authority_clerk, card=card, reason="  ")
    assert refused.value.field == "reason"
    raw, _token = services.issue_token(card)
    lifecycle.revoke_card(actor=authority_clerk, card=card, reason="轉借他人使用")
    card.refresh_from_db()
    assert card.status == HonorCard.Status.REVOKED and card.ended_reason == "轉借他人使用"
    assert services.check_token(raw).verdict == Verdict.CARD_INVALID


def test_an_authority_never_touches_another_authoritys_cards(card, other_authority):
    from conftest import _staff

    stranger = _staff("Q123456782", "外縣市承辦", "authority_staff", authority=other_authority)
    with pytest.raises(PermissionDenied):
        lifecycle.replace_card(actor=stranger, card=card, reason="遺失")
    assert not lifecycle.authority_cards(stranger).filter(pk=card.pk).exists()


def test_the_volunteer_sees_each_step_on_the_card_page(client, volunteer, authority_clerk, card):
    client.force_login(volunteer)
    response = client.post(reverse("honorcard:report_lost"), {"card": card.pk})
    assert response.status_code == 302
    html = client.get(reverse("honorcard:card")).content.decode()
    assert "已掛失" in html and "請洽" in html
    new = lifecycle.replace_card(actor=authority_clerk, card=card, reason="遺失")
    html = client.get(reverse("honorcard:card")).content.decode()
    assert new.number in html and "補發" in html and "掛失" in html and "補發新卡" in html
    lifecycle.revoke_card(actor=authority_clerk, card=new, reason="資格不符")
    html = client.get(reverse("honorcard:card")).content.decode()
    assert "資格不符" in html and "已註銷" in html


def test_the_authority_desk_replaces_and_revokes_with_messages_kept(client, authority_clerk, card):
    client.force_login(authority_clerk)
    listing = client.get(reverse("honorcard:cards"), {"q": card.number}).content.decode()
    assert card.number in listing and card.volunteer.national_id not in listing
    empty = client.post(reverse("honorcard:card_manage", args=[card.pk]), {"action": "revoke", "reason": ""})
    assert empty.status_code == 400 and "請填寫原因" in empty.content.decode()
    done = client.post(reverse("honorcard:card_manage", args=[card.pk]), {"action": "replace", "reason": "遺失"})
    new = HonorCard.objects.get(replaces=card)
    assert done.status_code == 302 and done["Location"] == reverse("honorcard:card_manage", args=[new.pk])


def test_a_unit_supervisor_cannot_open_the_authority_desk(client, supervisor_a, card):
    client.force_login(supervisor_a)
    assert client.get(reverse("honorcard:cards")).status_code == 403
    assert client.post(reverse("honorcard:card_manage", args=[card.pk]),
                       {"action": "revoke", "reason": "x"}).status_code == 403
