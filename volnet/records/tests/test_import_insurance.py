"""The insurance import (records.import_insurance): one row per insured volunteer, rows of one policy make one
policy, a person not serving in the unit is an error row, a file imported twice adds nothing."""

import datetime as dt

import pytest

from volnet.audit.models import AuditEntry
from volnet.lib import spreadsheets
from volnet.records import exports, imports
from volnet.records.import_insurance import COLUMNS, INSURANCE
from volnet.records.models import InsuranceCoverage, InsurancePolicy
from volnet.records.tests.excel_files import saved_by_libreoffice, xlsx
from volnet.units.models import Membership

TODAY = dt.date(2025, 6, 30)
HEADER = [column.title for column in COLUMNS]


def policy_row(national_id="E122333441", name="測試熊", insurer="臺灣產物保險", number="TW-114-0001",
               start="114/01/01", end="114/12/31", accident=1000000, medical=30000, note=""):
    return [national_id, name, insurer, number, start, end, accident, medical, note]


def run(rows, unit, registrant, header=HEADER):
    return imports.import_file(xlsx(rows, header, title="志工保險"), unit=unit, registrant=registrant,
                               kind=INSURANCE, today=TODAY, file_name="保險.xlsx")


def errors(outcome):
    return {row.line: row.errors for row in outcome.check.rows if row.errors}


@pytest.fixture
def second_volunteer(unit_a):
    from conftest import make_person

    person = make_person("A123456789", "王小明", sex="M")
    Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2022, 1, 1))
    return person


def test_rows_of_one_policy_make_one_policy_covering_each_volunteer(unit_a, volunteer, second_volunteer,
                                                                    supervisor_a):
    outcome = run([policy_row(), policy_row("A123456789", "王小明"),
                   policy_row(number="TW-114-0002", accident="2,000,000", medical="")], unit_a, supervisor_a)
    assert outcome.created == 3 and outcome.check.summary == {"policies": 2}
    first = InsurancePolicy.objects.get(policy_number="TW-114-0001")
    assert (first.unit, first.registrant, first.insurer, first.start_date, first.end_date, first.accident_sum,
            first.medical_sum) == (unit_a, supervisor_a, "臺灣產物保險", dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                                   1_000_000, 30_000)
    assert set(first.coverages.values_list("volunteer_id", flat=True)) == {volunteer.pk, second_volunteer.pk}
    second = InsurancePolicy.objects.get(policy_number="TW-114-0002")
    assert (second.accident_sum, second.medical_sum) == (2_000_000, 0)
    # One entry sums the import up; each new policy has its own, as the 志工保險 form writes it.
    summary = AuditEntry.objects.get(action="records.import.committed")
    assert summary.changes["kind"] == INSURANCE and summary.changes["count"] == 3
    assert AuditEntry.objects.filter(action="records.insurance.created").count() == 2


def test_a_person_not_serving_in_the_unit_is_an_error_row_and_nothing_is_written(unit_a, volunteer,
                                                                                 other_volunteer, supervisor_a):
    outcome = run([policy_row(), policy_row("F135792464", "陳大同"), policy_row("A123456789", "無帳號")],
                  unit_a, supervisor_a)
    assert outcome.created == 0
    found = errors(outcome)
    assert list(found) == [3, 4]
    assert "不是本單位服務中的志工" in found[3][0] and "查無此志工" in found[4][0]
    assert not InsurancePolicy.objects.exists() and not InsuranceCoverage.objects.exists()


def test_someone_who_left_or_has_not_accepted_the_unit_is_an_error_row(unit_a, volunteer, other_volunteer,
                                                                       supervisor_a):
    Membership.objects.filter(volunteer=volunteer).update(status=Membership.Status.ENDED,
                                                          left_on=dt.date(2024, 1, 1))
    Membership.objects.create(volunteer=other_volunteer, unit=unit_a, status=Membership.Status.PENDING)
    found = errors(run([policy_row(), policy_row("F135792464", "陳大同")], unit_a, supervisor_a))
    assert "已離隊" in found[2][0] and "同意之後才能登錄保險" in found[3][0]


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("114/12/31", "114/01/01", "早於起日"),
    ("2025/01/01", "114/12/31", "西元年"),
    ("114/02/30", "114/12/31", "保險起日(民國)"),
    ("114/01/01", "", "保險迄日(民國)：必填"),
])
def test_bad_dates_are_error_rows(unit_a, volunteer, supervisor_a, start, end, expected):
    found = errors(run([policy_row(start=start, end=end)], unit_a, supervisor_a))
    assert expected in " ".join(found[2])
    assert not InsurancePolicy.objects.exists()


@pytest.mark.parametrize(("changes", "expected"), [
    ({"insurer": ""}, "保險公司：必填"),
    ({"number": "x" * 61}, "保單號碼：最多 60 字"),
    ({"accident": "一百萬"}, "意外險保額(元)：「一百萬」應為 0 或正整數"),
    ({"medical": -5}, "醫療險保額(元)：「-5」應為 0 或正整數"),
])
def test_bad_cells_are_error_rows(unit_a, volunteer, supervisor_a, changes, expected):
    found = errors(run([policy_row(**changes)], unit_a, supervisor_a))
    assert expected in " ".join(found[2])


def test_duplicate_rows_within_the_file_are_error_rows(unit_a, volunteer, second_volunteer, supervisor_a):
    outcome = run([policy_row(), policy_row(), policy_row("A123456789", "王小明", accident=500)], unit_a,
                  supervisor_a)
    found = errors(outcome)
    assert "與第 2 列重複" in found[3][0]
    assert "與第 2 列是同一張保單" in found[4][0] and "保額或備註卻不同" in found[4][0]
    assert not InsurancePolicy.objects.exists()


def test_a_file_imported_twice_adds_nothing_the_second_time(unit_a, volunteer, second_volunteer, supervisor_a):
    rows = [policy_row(), policy_row("A123456789", "王小明")]
    assert run(rows, unit_a, supervisor_a).created == 2
    again = run(rows, unit_a, supervisor_a)
    assert again.created == 0
    assert all("已在這張保單中（可能重複匯入）" in row.errors[0] for row in again.check.rows)
    assert InsurancePolicy.objects.count() == 1 and InsuranceCoverage.objects.count() == 2


def test_a_registered_policy_takes_a_newcomer_and_refuses_other_sums(unit_a, volunteer, second_volunteer,
                                                                     supervisor_a):
    run([policy_row()], unit_a, supervisor_a)
    different = run([policy_row("A123456789", "王小明", medical=1)], unit_a, supervisor_a)
    assert "保額卻不同" in errors(different)[2][0]
    joined = run([policy_row("A123456789", "王小明")], unit_a, supervisor_a)
    assert joined.created == 1 and "會加入它的被保險人" in joined.check.rows[0].warnings[0]
    assert InsurancePolicy.objects.count() == 1
    assert InsuranceCoverage.objects.filter(volunteer=second_volunteer).count() == 1


def test_another_units_policy_of_the_same_number_is_not_touched(unit_a, unit_b, volunteer, other_volunteer,
                                                                supervisor_a, supervisor_b):
    run([policy_row("F135792464", "陳大同")], unit_b, supervisor_b)
    outcome = run([policy_row()], unit_a, supervisor_a)
    assert outcome.created == 1
    assert InsurancePolicy.objects.filter(unit=unit_b).get().coverages.get().volunteer == other_volunteer
    assert InsurancePolicy.objects.filter(unit=unit_a).get().coverages.get().volunteer == volunteer


def test_a_service_file_chosen_as_insurance_is_named_for_what_it_is():
    from volnet.records.tests.excel_files import service_row

    with pytest.raises(imports.ImportFileError) as caught:
        imports.read_file(xlsx([service_row()]), INSURANCE)
    assert caught.value.code == "wrong_kind" and "服務時數" in caught.value.message


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_the_template_and_its_example_import_cleanly(unit_a, volunteer, supervisor_a, file_format):
    template = exports.build_template(INSURANCE, file_format)
    assert imports.inspect_file(template) == []
    columns = [spreadsheets.Column(column.title, text=True) for column in COLUMNS]
    filled = spreadsheets.write_table([[column.example for column in COLUMNS]], columns, file_format)
    sheet = imports.read_file(filled, INSURANCE, today=TODAY)
    assert sheet.rows[0].errors == [] and sheet.rows[0].data["accident_sum"] == 1_000_000


def test_a_file_saved_by_libreoffice_imports_like_the_one_saved_by_excel(unit_a, volunteer, supervisor_a):
    saved_by_excel = xlsx([policy_row(start="114/01/01"), policy_row(start=dt.date(2026, 1, 1), end="115/12/31")],
                          HEADER, title="志工保險")
    ods = saved_by_libreoffice(saved_by_excel, INSURANCE, TODAY)
    outcome = imports.import_file(ods, unit=unit_a, registrant=supervisor_a, kind=INSURANCE)
    assert outcome.created == 2 and InsurancePolicy.objects.count() == 2
