import datetime as dt

from volnet.recordbook import queries
from volnet.recordbook.queries import Filters
from volnet.records.models import Award, ServiceRecord, TrainingRecord

D = dt.date


def service_rows(volunteer, **filters):
    return queries.tab("service").section(volunteer, Filters(**filters)).rows


def test_the_demo_book_lists_the_manuals_sixteen_rows_newest_first(bear):
    section = queries.tab("service").section(bear, Filters())
    assert section.count == 16
    assert section.rows[0] == ("1", "綜合服務", "電話問安", "115/03/01~115/03/30", "12",
                               "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", "何小倫")
    assert section.rows[9][1:5] == ("綜合服務", "藝文服務", "113/01/01~113/01/31", "3.7")
    assert [row[0] for row in section.rows] == [str(n) for n in range(1, 17)]
    assert section.total_label == "服務時數合計"
    assert section.total_value == "167.7"
    assert section.title == "志願服務紀錄冊-服務"


def test_only_approved_records_without_a_misuse_note_are_printed(volunteer, service_record):
    service_record(content="已核定")
    service_record(content="待審核", status=ServiceRecord.Status.PENDING)
    service_record(content="已退回", status=ServiceRecord.Status.DECLINED)
    service_record(content="借冊註記", misuse_note="紀錄冊借予他人使用")
    section = queries.tab("service").section(volunteer, Filters())
    assert [row[2] for row in section.rows] == ["已核定"]
    assert section.count == 1
    assert section.total_value == "2"


def test_another_volunteers_records_never_appear(volunteer, other_volunteer, service_record, unit_b):
    service_record(content="自己的")
    service_record(content="別人的", volunteer=other_volunteer, unit=unit_b)
    assert [row[2] for row in service_rows(volunteer)] == ["自己的"]
    assert [row[2] for row in service_rows(other_volunteer)] == ["別人的"]


def test_the_unit_filter_keeps_that_units_records(volunteer, service_record, unit_a, unit_b):
    service_record(content="A", unit=unit_a)
    service_record(content="B", unit=unit_b)
    assert [row[2] for row in service_rows(volunteer, unit=unit_b.id)] == ["B"]


def test_the_item_filter_keeps_that_service_item(volunteer, service_record):
    service_record(item="環保服務", content="淨灘")
    service_record(item="老人服務", content="問安")
    assert [row[2] for row in service_rows(volunteer, item="環保服務")] == ["淨灘"]


def test_a_period_keeps_records_that_overlap_it(volunteer, service_record):
    service_record(content="before", start=D(2026, 2, 1), end=D(2026, 2, 28))
    service_record(content="across", start=D(2026, 2, 20), end=D(2026, 3, 5))
    service_record(content="inside", start=D(2026, 3, 10), end=D(2026, 3, 10))
    service_record(content="after", start=D(2026, 4, 1), end=D(2026, 4, 2))
    rows = service_rows(volunteer, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert [row[2] for row in rows] == ["inside", "across"]
    assert [row[2] for row in service_rows(volunteer, start=D(2026, 3, 6))] == ["after", "inside"]
    assert [row[2] for row in service_rows(volunteer, end=D(2026, 2, 19))] == ["before"]


def test_totals_cover_every_filtered_row_not_just_one_page(volunteer, many_services):
    many_services(23, hours="1.5")
    section, page, pages = queries.tab("service").section(volunteer, Filters(), page=3, per_page=10)
    assert (page, pages, section.count) == (3, 3, 23)
    assert [row[0] for row in section.rows] == ["21", "22", "23"]
    assert section.total_value == "34.5"


def test_a_page_number_out_of_range_becomes_the_nearest_page(volunteer, many_services):
    many_services(12)
    tab = queries.tab("service")
    assert tab.section(volunteer, Filters(), page=99)[1:] == (2, 2)
    assert tab.section(volunteer, Filters(), page=-4)[1:] == (1, 2)


def test_an_empty_book_has_one_page_and_no_rows(volunteer):
    section, page, pages = queries.tab("service").section(volunteer, Filters(), page=1)
    assert (section.rows, section.count, page, pages, section.total_value) == ([], 0, 1, 1, "0")


def test_the_training_tab_lists_course_category_hours_and_certificate(bear):
    section = queries.tab("training").section(bear, Filters())
    assert section.count == 3
    assert section.rows[0] == ("1", "110/10/02~110/10/03", "特殊訓練", "特殊訓練（社會福利類）", "財團法人崇正基金會",
                               "12小時00分鐘", "中社訓字第110003號", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")
    assert section.rows[2][1] == "110/05/05~"
    assert section.total_value == "20小時00分鐘"


def test_the_training_period_filter_treats_an_open_end_as_the_start_day(volunteer, unit_a):
    def training(course, start, end=None):
        TrainingRecord.objects.create(volunteer=volunteer, unit=unit_a, kind="basic", course=course,
                                      organiser="中心", start_date=start, end_date=end, minutes=60)

    training("one day", D(2025, 5, 5))
    training("two days", D(2025, 5, 1), D(2025, 5, 6))
    rows = queries.tab("training").section(volunteer, Filters(start=D(2025, 5, 6))).rows
    assert [row[2] for row in rows] == ["two days"]
    rows = queries.tab("training").section(volunteer, Filters(start=D(2025, 5, 5), end=D(2025, 5, 5))).rows
    assert [row[2] for row in rows] == ["one day", "two days"]


def test_each_award_tab_lists_its_own_kind(volunteer, unit_a):
    for kind, name in [(Award.Kind.HEALTH_WELFARE, "銅質徽章"), (Award.Kind.VOLUNTEER_SERVICE, "銅牌獎"),
                       (Award.Kind.OTHER, "績優志工")]:
        Award.objects.create(volunteer=volunteer, unit=unit_a, kind=kind, name=name, level="一等",
                             awarded_on=D(2025, 12, 5), granted_by="衛生福利部", certificate_number="衛部字第1號")
    Award.objects.create(volunteer=volunteer, unit=None, kind=Award.Kind.OTHER, name="熱心公益",
                         awarded_on=D(2024, 1, 2),
                         granted_by="臺中市政府")
    assert queries.tab("health_welfare").section(volunteer, Filters()).rows == [
        ("1", "銅質徽章", "一等", "114/12/05", "衛生福利部", "衛部字第1號",
         "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")
    ]
    other = queries.tab("other").section(volunteer, Filters())
    assert [row[1] for row in other.rows] == ["績優志工", "熱心公益"]
    assert other.rows[1][6] == ""
    assert other.total_value == "" and other.count == 2
    dated = queries.tab("other").section(volunteer, Filters(end=D(2024, 12, 31))).rows
    assert [row[1] for row in dated] == ["熱心公益"]


def test_the_tabs_follow_the_manual_and_unknown_keys_fall_back_to_service():
    assert [t.label for t in queries.TABS] == ["服務", "訓練", "衛生福利獎勵", "志願服務獎勵", "其他獎項表揚"]
    assert queries.tab("nonsense").key == "service"
    assert queries.tab(None).key == "service"


def test_unit_choices_come_from_memberships_and_records(volunteer, service_record, unit_a, unit_b):
    from volnet.units.models import Unit

    assert queries.unit_choices(volunteer) == [(unit_a.id, "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")]
    service_record(unit=unit_b)
    third = Unit.objects.create(code="3-001", name="別的單位", authority=unit_a.authority)
    TrainingRecord.objects.create(volunteer=volunteer, unit=third, kind="basic", course="c", organiser="o",
                                  start_date=D(2025, 1, 1), minutes=60)
    Unit.objects.create(code="9-999", name="無關的單位", authority=unit_a.authority)
    labels = [label for _, label in queries.unit_choices(volunteer)]
    assert labels == ["1-187臺中市志願服務推廣中心志工隊", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)",
                      "3-001別的單位"]


def test_item_choices_are_the_items_of_counted_records(volunteer, service_record):
    service_record(item="環保服務")
    service_record(item="老人服務")
    service_record(item="環保服務")
    service_record(item="兒童服務", status=ServiceRecord.Status.PENDING)
    assert queries.item_choices(volunteer) == sorted(["環保服務", "老人服務"])
