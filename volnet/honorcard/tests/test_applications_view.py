"""榮譽卡與獎勵申請 (staff): apply from 資格查詢, cancel (unit), approve or reject (authority), tenancy."""

import pytest
from django.urls import reverse

from volnet.honorcard import services
from volnet.honorcard.models import AwardApplication, HonorCard, HonorCardApplication

DESK = reverse("honorcard:applications")
APPLY = reverse("honorcard:apply")


def apply(client, volunteer, unit, kind="honor_card", **extra):
    return client.post(APPLY, {"volunteer": volunteer.pk, "unit": unit.pk, "kind": kind, **extra})


def test_the_desk_is_for_staff_only(client, volunteer):
    assert client.get(DESK).status_code == 302
    client.force_login(volunteer)
    assert client.get(DESK).status_code == 403


def test_a_unit_applies_from_the_query_page_and_returns_there(client, supervisor_a, eligible, unit_a):
    client.force_login(supervisor_a)
    back = reverse("eligibility:query") + "?tab=honor_card&q=%E6%B8%AC"
    response = apply(client, eligible, unit_a, next=back)
    assert response.status_code == 302 and response["Location"] == back
    application = HonorCardApplication.objects.get()
    assert (application.volunteer, application.unit, application.applied_by) == (eligible, unit_a, supervisor_a)
    page = client.get(back).content.decode()
    assert "已為 測試熊 提出榮譽卡申請" in page and "申請審核中" in page


def test_the_next_address_must_stay_on_the_site(client, supervisor_a, eligible, unit_a):
    client.force_login(supervisor_a)
    response = apply(client, eligible, unit_a, next="https://evil.example/")
    assert response["Location"] == reverse("eligibility:query")


def test_an_ineligible_application_is_refused_with_the_reasons(client, supervisor_a, volunteer, unit_a):
    client.force_login(supervisor_a)
    response = apply(client, volunteer, unit_a)
    page = client.get(response["Location"]).content.decode()
    assert "測試熊：不符合申請資格" in page and "缺紀錄冊" in page
    assert not HonorCardApplication.objects.exists()


def test_unit_b_cannot_apply_for_unit_as_volunteer(client, supervisor_b, eligible, unit_a, unit_b):
    client.force_login(supervisor_b)
    assert apply(client, eligible, unit_a).status_code == 404
    assert apply(client, eligible, unit_b).status_code == 404
    assert not HonorCardApplication.objects.exists()


def test_a_badge_application_uses_the_level_reached(client, supervisor_a, build, volunteer, unit_a):
    import datetime as dt

    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 1600)
    client.force_login(supervisor_a)
    apply(client, volunteer, unit_a, kind="health_badge")
    assert AwardApplication.objects.get().rule.level_label == "銅質"
    assert apply(client, volunteer, unit_a, kind="nonsense").status_code == 404


@pytest.fixture
def pending(supervisor_a, eligible, unit_a):
    return services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a)


def decide(client, application, action, kind="card", **extra):
    return client.post(DESK, {"kind": kind, "application": application.pk, "action": action, **extra})


def test_the_unit_sees_its_pending_application_and_may_cancel_it(client, supervisor_a, pending):
    client.force_login(supervisor_a)
    html = client.get(DESK).content.decode()
    assert "測試熊" in html and "撤回申請" in html and "核准並發卡" not in html
    response = decide(client, pending, "cancel")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == HonorCardApplication.Status.CANCELLED


def test_unit_b_neither_sees_nor_cancels_unit_as_application(client, supervisor_b, pending):
    client.force_login(supervisor_b)
    assert "測試熊" not in client.get(DESK).content.decode()
    assert decide(client, pending, "cancel").status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


def test_a_unit_cannot_approve_its_own_application(client, supervisor_a, pending):
    client.force_login(supervisor_a)
    assert decide(client, pending, "approve").status_code == 403
    assert not HonorCard.objects.exists()


def test_the_authority_approves_and_the_card_is_issued(client, authority_clerk, pending):
    client.force_login(authority_clerk)
    html = client.get(DESK).content.decode()
    assert "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)" in html and "核准並發卡" in html
    response = decide(client, pending, "approve")
    assert response.status_code == 302
    card = HonorCard.objects.get()
    page = client.get(response["Location"] + "&status=approved").content.decode()
    assert f"已核准並核發榮譽卡 {card.number}" in page
    assert card.number in page


def test_a_rejection_without_a_reason_is_refused_and_keeps_the_page(client, authority_clerk, pending):
    client.force_login(authority_clerk)
    response = decide(client, pending, "reject", note="")
    assert response.status_code == 400
    assert "請填寫駁回原因" in response.content.decode()
    response = decide(client, pending, "reject", note="缺證件照正本")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decision_note) == ("rejected", "缺證件照正本")


def test_another_authority_cannot_see_or_decide(client, pending, other_authority):
    from conftest import make_person
    from volnet.units.models import StaffRole

    stranger = make_person("A800000014", "外縣市承辦")
    StaffRole.objects.create(user=stranger, role=StaffRole.Role.AUTHORITY_STAFF, authority=other_authority)
    client.force_login(stranger)
    assert "測試熊" not in client.get(DESK).content.decode()
    assert decide(client, pending, "approve").status_code == 404


def test_an_award_is_approved_with_its_certificate_number(client, supervisor_a, authority_clerk, build, volunteer,
                                                          unit_a):
    import datetime as dt

    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 2600)
    application = services.apply_for_award(actor=supervisor_a, volunteer=volunteer, unit=unit_a, scheme="health_badge")
    client.force_login(authority_clerk)
    assert "衛生福利志願服務金質徽章" in client.get(DESK + "?kind=award").content.decode()
    decide(client, application, "approve", kind="award", certificate_number="中市衛字第1140001號")
    application.refresh_from_db()
    assert application.award.certificate_number == "中市衛字第1140001號"


def test_unknown_actions_are_not_found(client, authority_clerk, pending):
    client.force_login(authority_clerk)
    assert decide(client, pending, "explode").status_code == 404
    assert decide(client, pending, "approve", kind="nothing").status_code == 404


def test_the_authority_can_narrow_the_desk_to_one_unit(client, authority_clerk, pending, unit_b):
    client.force_login(authority_clerk)
    assert "測試熊" in client.get(DESK, {"from_unit": pending.unit_id}).content.decode()
    assert "測試熊" not in client.get(DESK, {"from_unit": unit_b.pk}).content.decode()
