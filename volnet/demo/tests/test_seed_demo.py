from decimal import Decimal

from django.core.management import call_command

from volnet.accounts.models import User
from volnet.lib import hours, rocdate
from volnet.records.models import RecordBook, ServiceRecord, TrainingRecord


def test_it_loads_the_manuals_training_rows(demo):
    bear = User.objects.get(national_id="E122333441")
    rows = [
        (t.unit.name, rocdate.format_range(t.start_date, t.end_date), t.organiser, t.course, t.sessions,
         hours.format_minutes(t.minutes))
        for t in TrainingRecord.objects.filter(volunteer=bear)
    ]
    assert rows == [
        ("臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/10/02~110/10/03", "財團法人崇正基金會", "特殊訓練", 1,
         "12小時00分鐘"),
        ("臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/05/10~110/05/10", "台北市政府公務人員訓練處", "基礎訓練", 1,
         "6小時00分鐘"),
        ("臺中市樂樂發展協會-樂樂志工隊(測試用)", "110/05/05~", "台中主要市區公所", "特殊訓練", 1, "2小時00分鐘"),
    ]


def test_it_loads_sixteen_service_rows_in_the_manuals_order(demo):
    records = list(ServiceRecord.objects.filter(volunteer__national_id="E122333441")
                   .select_related("unit", "registrant"))
    assert len(records) == 16
    first = [(r.service_item, r.content, rocdate.format_range(r.start_date, r.end_date), hours.format_hours(r.hours),
              r.unit.label, r.registrant.name) for r in records[:3]]
    assert first == [
        ("綜合服務", "電話問安", "115/03/01~115/03/30", "12", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "何小倫"),
        ("環保服務", "環保服務", "115/03/01~115/03/30", "9", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "何小倫"),
        ("綜合服務", "電話諮商", "115/03/01~115/03/20", "12", "臺中市樂樂發展協會(測試用)", "何小倫"),
    ]
    printed = {(r.service_item, r.content, rocdate.format_range(r.start_date, r.end_date), hours.format_hours(r.hours),
                r.unit.label, r.registrant.name) for r in records}
    # The rows of the manual's printed record book.
    assert ("綜合服務", "藝文服務", "113/01/01~113/01/31", "3.7", "1-187臺中市志願服務推廣中心志工隊",
            "何銘倫") in printed
    assert ("社區服務", "行政支援", "113/09/01~113/09/30", "20", "1-187臺中市志願服務推廣中心志工隊",
            "何銘倫") in printed
    assert ("綜合服務", "行政支援", "112/03/01~112/03/31", "44", "臺中市樂樂發展協會(測試用)", "何小倫") in printed


def test_running_it_twice_duplicates_nothing(demo):
    counts = (User.objects.count(), ServiceRecord.objects.count(), TrainingRecord.objects.count(),
              RecordBook.objects.count())
    call_command("seed_demo", quiet=True)
    assert (User.objects.count(), ServiceRecord.objects.count(), TrainingRecord.objects.count(),
            RecordBook.objects.count()) == counts


def test_the_demo_logins_work(demo):
    for national_id, password in [("E122333441", "Volunteer-2026"), ("F135792464", "Volunteer-2026"),
                                  ("B223456782", "Supervisor-2026"), ("A298765437", "Authority-2026")]:
        assert User.objects.get(national_id=national_id).check_password(password)
    assert User.objects.get(national_id="F135792464").email == ""


def test_the_bear_has_a_book_a_photo_insurance_an_award_and_a_valid_card(demo):
    from django.utils import timezone

    bear = User.objects.get(national_id="E122333441")
    book = bear.record_books.get()
    assert (book.authority.name, book.get_status_display()) == ("臺中市政府社會局", "初次")
    assert bear.photo
    assert bear.awards.exists()
    today = timezone.localdate()
    assert any(card.is_valid_on(today) for card in bear.honor_cards.all())
    assert bear.insurance_policies.filter(start_date__lte=today, end_date__gte=today).exists()
    assert sum(r.hours for r in bear.services.all()) == Decimal("167.7")


def test_taichung_has_units_with_dozens_of_volunteers_and_two_years_of_records(demo):
    """Issue 13: the desks have something to show; the manual's people keep their own figures (above)."""
    from django.utils import timezone

    from volnet.reports.models import ResultsReport
    from volnet.reports.queries import figures
    from volnet.units.models import Unit

    last_year = timezone.localdate().year - 1
    area = Unit.objects.filter(code__in=["2-310", "4-021", "5-105"], authority__code="TXG-SOC")
    assert area.count() == 3
    whole = figures(area.values_list("pk", flat=True), last_year)
    assert whole["volunteers"] >= 30 and Decimal(whole["hours"]) > 500
    assert whole["with_basic_training"] >= 25 and whole["insured"] == whole["volunteers"]
    assert ServiceRecord.objects.filter(unit__in=area, start_date__year=last_year + 1).exists()
    assert set(ResultsReport.objects.filter(unit__in=area, year=last_year).values_list("status", flat=True)) == {
        "accepted", "filed"}
    before = (ServiceRecord.objects.count(), TrainingRecord.objects.count())
    call_command("seed_demo", quiet=True)
    assert (ServiceRecord.objects.count(), TrainingRecord.objects.count()) == before
