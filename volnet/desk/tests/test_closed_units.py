"""A closed or merged unit takes no new work (issue 13): every way of adding something to it is refused with
the same clear message (`units.operating`), and what it recorded before stays readable and correctable."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.desk import services as desk
from volnet.errors import DomainError
from volnet.honorcard import services as honorcard
from volnet.people import services as people
from volnet.records import books, imports
from volnet.records import services as records
from volnet.records.models import RecordBook, ServiceRecord, TrainingRecord
from volnet.records.tests.excel_files import service_row, xlsx
from volnet.recruitment import services as recruitment
from volnet.recruitment.models import Application, Posting
from volnet.units import operating

DAY = dt.date(2025, 3, 1)
CLOSED = "已停止運作（115/01/31 起），不再登錄新的資料或申請；過去的紀錄仍可查看。"


@pytest.fixture
def closed(authority_clerk, unit_a):
    def close(status="closed", successor=None):
        desk.set_status(actor=authority_clerk, unit=unit_a, status=status, closed_on=dt.date(2026, 1, 31),
                        successor=successor)
        unit_a.refresh_from_db()
        return unit_a

    return close


def _posting(unit, staff):
    today = timezone.localdate()
    return Posting.objects.create(unit=unit, title="電話問安志工", service_item="老人服務", place="臺中市西屯區",
                                  start_date=today, end_date=today + dt.timedelta(days=30), quota=3, created_by=staff)


@pytest.fixture
def staff_client(client):
    def sign_in(user):
        client.force_login(user)
        session = client.session
        session["volnet_site"] = "backoffice"
        session.save()
        return client

    return sign_in


class _Form:
    """What recruitment.save_posting reads of a valid PostingForm."""

    def __init__(self, unit):
        self.instance = Posting(unit=unit)
        self.cleaned_data = {"unit": unit, "quota": 3}


ENTRY_POINTS = {
    "service": lambda s, u, v: records.add_service(actor=s, unit=u, volunteer=v, service_item="綜合服務",
                                                   content="電話問安", start_date=DAY, hours=Decimal("2")),
    "monthly grid": lambda s, u, v: records.add_services(actor=s, unit=u, rows=[dict(
        key=v.pk, volunteer=v, service_item="綜合服務", content="電話問安", start_date=DAY, hours=Decimal("2"))]),
    "training": lambda s, u, v: records.add_training(actor=s, unit=u, volunteer=v, kind=TrainingRecord.Kind.BASIC,
                                                     course="基礎訓練", organiser="社會局", start_date=DAY,
                                                     minutes=720),
    "insurance": lambda s, u, v: records.add_policy(actor=s, unit=u, insurer="產險", policy_number="P-1",
                                                    start_date=DAY, end_date=DAY + dt.timedelta(days=364),
                                                    volunteers=[v]),
    "other item": lambda s, u, v: records.add_other_item(actor=s, unit=u, volunteer=v, title="幹部", start_date=DAY),
    "award": lambda s, u, v: records.add_award(actor=s, unit=u, volunteer=v, kind="other", name="績優志工",
                                               awarded_on=DAY, granted_by="社會局"),
    "self-reported hours": lambda s, u, v: records.report_hours(volunteer=v, unit=u, service_item="綜合服務",
                                                                content="問安", start_date=DAY, hours=Decimal("1")),
    "Excel import": lambda s, u, v: imports.import_file(xlsx([service_row()]), unit=u, registrant=s,
                                                        today=dt.date(2025, 6, 30)),
    "record book application": lambda s, u, v: books.apply(actor=s, unit=u, volunteer=v, kind=RecordBook.Status.FIRST,
                                                           category=""),
    "honor card application": lambda s, u, v: honorcard.apply_for_card(actor=s, volunteer=v, unit=u),
    "award application": lambda s, u, v: honorcard.apply_for_award(actor=s, volunteer=v, unit=u,
                                                                   scheme=next(iter(honorcard.engine.AWARD_SCHEMES))),
    "recruitment posting": lambda s, u, v: recruitment.save_posting(_Form(u), s),
    "recruitment application": lambda s, u, v: recruitment.apply(_posting(u, s), make_person("A123456789", "王小明")),
    "join request": lambda s, u, v: people.request_membership(actor=s, unit=u, person=make_person("A123456789", "王")),
    "new volunteer": lambda s, u, v: people.create_volunteer(actor=s, unit=u, national_id="A123456789", name="王小明",
                                                             birth_date=dt.date(1980, 1, 1)),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_closed_unit_refuses_every_new_entry_with_the_same_message(entry, closed, supervisor_a, volunteer):
    unit = closed()
    # the records as they stood: nothing added by the refused call
    before = (ServiceRecord.objects.count(), TrainingRecord.objects.count(), Posting.objects.count())
    with pytest.raises(DomainError) as refused:
        ENTRY_POINTS[entry](supervisor_a, unit, volunteer)
    assert refused.value.code == "unit_closed"
    assert str(refused.value) == f"{unit.label} {CLOSED}"
    assert (ServiceRecord.objects.count(), TrainingRecord.objects.count()) == before[:2]


def test_approving_a_self_report_of_a_closed_unit_is_refused(closed, supervisor_a, unit_a, service_record):
    report = service_record(status=ServiceRecord.Status.PENDING, self_reported=True)
    closed()
    with pytest.raises(records.RecordError) as refused:
        records.approve_reports(actor=supervisor_a, unit=unit_a, pks=[report.pk])
    assert refused.value.code == "unit_closed"
    assert ServiceRecord.objects.get(pk=report.pk).status == ServiceRecord.Status.PENDING


def test_accepting_an_applicant_of_a_closed_unit_is_refused(closed, supervisor_a, unit_a):
    application = Application.objects.create(posting=_posting(unit_a, supervisor_a),
                                             volunteer=make_person("A123456789", "王小明"))
    closed()
    with pytest.raises(recruitment.RecruitmentError) as refused:
        recruitment.accept(application, supervisor_a)
    assert refused.value.code == "unit_closed"
    assert not unit_a.memberships.filter(volunteer=application.volunteer).exists()


def test_a_merged_unit_names_its_successor(closed, unit_b):
    unit = closed("merged", successor=unit_b)
    assert operating.new_work_refusal(unit) == (
        f"{unit.label} 已併入 {unit_b.label}（115/01/31 起），不再登錄新的資料或申請；請改由 {unit_b.label} 辦理。"
        "過去的紀錄仍可查看。")


def test_an_operating_unit_is_not_refused(unit_a):
    assert operating.new_work_refusal(unit_a) is None
    operating.require_operating(unit_a)


def test_the_back_office_form_says_so_and_the_old_records_stay_readable_and_correctable(
        staff_client, closed, supervisor_a, volunteer, service_record):
    old = service_record()
    unit = closed()
    client = staff_client(supervisor_a)
    response = client.post(reverse("backoffice:service_add"), {
        "volunteer": volunteer.pk, "service_item": "綜合服務", "content": "新的一筆", "start_date": "114/03/02",
        "end_date": "114/03/02", "hours": "2"})
    assert response.status_code == 200 and CLOSED in response.content.decode()
    assert ServiceRecord.objects.count() == 1
    assert "電話問安" in client.get(reverse("backoffice:services")).content.decode()
    records.update_service(old, actor=supervisor_a, hours=Decimal("3"))  # a correction of what was entered before
    assert ServiceRecord.objects.get(pk=old.pk).hours == Decimal("3")
    assert unit.status == "closed"


def test_the_excel_upload_of_a_closed_unit_is_refused_before_the_preview(staff_client, closed, supervisor_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    closed()
    response = staff_client(supervisor_a).post(reverse("backoffice:excel_upload"), {
        "kind": "service", "file": SimpleUploadedFile("三月.xlsx", xlsx([service_row()]))})
    assert response.status_code == 200 and CLOSED in response.content.decode()
    assert ServiceRecord.objects.count() == 0


def test_the_new_posting_page_offers_no_closed_unit(client, closed, supervisor_a):
    unit = closed()
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_new"), {
        "title": "假日導覽志工", "service_item": "文化藝術服務", "place": "臺中市南屯區", "start_date": "115/12/01",
        "end_date": "116/06/30", "quota": "8", "is_published": "on", "unit": unit.pk})
    assert response.status_code == 404  # 沒有可刊登招募的單位
    assert not Posting.objects.exists()
