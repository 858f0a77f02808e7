"""The units' recruitment pages: post, edit, read applicants, accept and decline; tenancy."""

from django.urls import reverse

from volnet.audit.models import AuditEntry
from volnet.recruitment import services
from volnet.recruitment.models import Application, Posting
from volnet.units.models import Membership

VALID = {
    "title": "假日導覽志工", "service_item": "文化藝術服務", "place": "臺中市南屯區文化中心",
    "start_date": "115/12/01", "end_date": "116/06/30", "quota": "8", "requirements": "能站立兩小時",
    "description": "週末協助導覽。", "is_published": "on",
}


def test_staff_see_only_their_units_postings(client, posting_factory, unit_b, supervisor_a):
    posting_factory(title="A 單位的招募")
    posting_factory(title="B 單位的招募", unit=unit_b)
    client.force_login(supervisor_a)
    html = client.get(reverse("recruitment:manage")).content.decode()
    assert "A 單位的招募" in html and "B 單位的招募" not in html
    assert 'aria-current="page">招募管理' in html


def test_volunteers_and_anonymous_visitors_cannot_reach_the_staff_pages(client, volunteer, posting):
    urls = [reverse("recruitment:manage"), reverse("recruitment:manage_new"),
            reverse("recruitment:manage_detail", args=[posting.pk]),
            reverse("recruitment:manage_edit", args=[posting.pk])]
    for url in urls:
        assert client.get(url).status_code == 302  # to the staff sign-in
    client.force_login(volunteer)
    for url in urls:
        assert client.get(url).status_code == 403


def test_staff_of_another_unit_get_404_on_a_posting_and_its_applications(client, posting, newcomer, supervisor_b):
    application = services.apply(posting, newcomer)
    client.force_login(supervisor_b)
    assert client.get(reverse("recruitment:manage_detail", args=[posting.pk])).status_code == 404
    assert client.get(reverse("recruitment:manage_edit", args=[posting.pk])).status_code == 404
    assert client.post(reverse("recruitment:manage_edit", args=[posting.pk]), VALID).status_code == 404
    assert client.post(reverse("recruitment:accept", args=[application.pk])).status_code == 404
    assert client.post(reverse("recruitment:decline", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


def test_staff_post_an_opening_with_roc_dates(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_new"), {**VALID, "unit": unit_a.pk})
    posting = Posting.objects.get()
    assert response.status_code == 302 and response.url == reverse("recruitment:manage_detail", args=[posting.pk])
    assert (str(posting.start_date), str(posting.end_date), posting.created_by) == ("2026-12-01", "2027-06-30",
                                                                                  supervisor_a)
    assert AuditEntry.objects.filter(action="recruitment.posting.created", unit=unit_a).exists()


def test_a_bad_form_keeps_what_was_typed_and_says_why_in_chinese(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_new"), {
        **VALID, "unit": unit_a.pk, "start_date": "116/06/30", "end_date": "115/13/01", "quota": "0",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert "民國 115 年 13 月 1 日不存在" in html and "招募人數至少 1 人" in html
    assert 'value="假日導覽志工"' in html and 'value="115/13/01"' in html
    response = client.post(reverse("recruitment:manage_new"), {**VALID, "unit": unit_a.pk, "end_date": "115/11/30"})
    assert "早於開始日期" in response.content.decode()
    assert not Posting.objects.exists()


def test_staff_cannot_post_for_another_unit(client, supervisor_a, unit_b):
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_new"), {**VALID, "unit": unit_b.pk})
    assert response.status_code == 400
    assert not Posting.objects.exists()


def test_editing_refuses_a_quota_below_those_accepted(client, posting, newcomer, volunteer, supervisor_a, unit_a):
    for person in (newcomer, volunteer):
        services.accept(services.apply(posting, person), supervisor_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_edit", args=[posting.pk]),
                           {**VALID, "unit": unit_a.pk, "quota": "1"})
    assert response.status_code == 400
    assert "招募人數不可少於已錄取的 2 人" in response.content.decode()
    response = client.post(reverse("recruitment:manage_edit", args=[posting.pk]),
                           {**VALID, "unit": unit_a.pk, "quota": "3", "is_published": ""})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.quota, posting.is_published, posting.title) == (3, False, "假日導覽志工")
    entry = AuditEntry.objects.get(action="recruitment.posting.updated")
    assert entry.changes["quota"] == ["5", "3"]


def test_the_applicant_list_shows_contact_data_and_logs_the_view(client, posting, newcomer, supervisor_a):
    services.apply(posting, newcomer, "我會開車")
    client.force_login(supervisor_a)
    html = client.get(reverse("recruitment:manage_detail", args=[posting.pk])).content.decode()
    assert "王小明" in html and "A12345****" in html and "0912-000-111" in html and "我會開車" in html
    assert "A123456789" not in html
    entry = AuditEntry.objects.get(action="recruitment.applicants.viewed")
    assert entry.actor == supervisor_a and entry.changes["volunteers"] == [newcomer.pk]


def test_staff_accept_and_the_volunteer_becomes_a_member(client, posting, newcomer, supervisor_a, unit_a):
    application = services.apply(posting, newcomer)
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:accept", args=[application.pk]), follow=True)
    assert "已錄取 王小明，並加入" in response.content.decode()
    assert Membership.objects.filter(volunteer=newcomer, unit=unit_a, status="active").count() == 1
    response = client.post(reverse("recruitment:decline", args=[application.pk]), follow=True)
    assert "不能再審核" in response.content.decode()


def test_accepting_over_the_quota_shows_a_clear_message(client, posting_factory, newcomer, volunteer, supervisor_a):
    posting = posting_factory(quota=1)
    first, second = services.apply(posting, newcomer), services.apply(posting, volunteer)
    client.force_login(supervisor_a)
    client.post(reverse("recruitment:accept", args=[first.pk]))
    response = client.post(reverse("recruitment:accept", args=[second.pk]), follow=True)
    assert "招募名額 1 人已滿" in response.content.decode()


def test_staff_decline(client, posting, newcomer, supervisor_a):
    application = services.apply(posting, newcomer)
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:decline", args=[application.pk]), follow=True)
    assert "已回覆 王小明 未錄取" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED


def test_the_applicant_tabs_filter_by_status(client, posting, newcomer, volunteer, supervisor_a):
    services.decline(services.apply(posting, newcomer), supervisor_a)
    services.apply(posting, volunteer)
    client.force_login(supervisor_a)
    html = client.get(reverse("recruitment:manage_detail", args=[posting.pk]), {"status": "pending"}).content.decode()
    assert "測試熊" in html and "王小明" not in html


def test_the_list_follows_the_unit_switcher(client, posting_factory, supervisor_a, unit_a, authority):
    from volnet.units.models import Unit

    team = Unit.objects.create(code="2-300", name="樂樂第二隊", authority=authority, parent=unit_a)
    posting_factory(title="本隊招募")
    posting_factory(title="第二隊招募", unit=team)
    client.force_login(supervisor_a)
    html = client.get(reverse("recruitment:manage"), {"unit": unit_a.pk}).content.decode()
    assert "本隊招募" in html and "第二隊招募" not in html
    html = client.get(reverse("recruitment:manage"), {"unit": team.pk}).content.decode()
    assert "第二隊招募" in html and "本隊招募" not in html
    form = client.get(reverse("recruitment:manage_new")).context["form"]
    assert form["unit"].value() == team.pk  # the remembered unit comes first


def test_a_decision_is_one_notification_and_one_mail(client, posting, newcomer, supervisor_a, unit_a):
    from volnet.notifications.tests.told import told_once

    application = services.apply(posting, newcomer)
    client.force_login(supervisor_a)
    client.post(reverse("recruitment:accept", args=[application.pk]))
    client.post(reverse("recruitment:accept", args=[application.pk]))  # twice: refused, told once
    note, [mail] = told_once(newcomer, "application_decided")
    assert posting.title in note.text and mail.to == "ming@example.tw"
