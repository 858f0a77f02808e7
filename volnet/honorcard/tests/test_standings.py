"""資格查詢's read side (honorcard.queries): whom a staff member may query and each volunteer's standing there."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_person
from volnet.eligibility.certificates import issue_certificate
from volnet.eligibility.engine import Scheme
from volnet.honorcard import queries, services
from volnet.honorcard.tests.conftest import TODAY
from volnet.records.tests.excel_files import valid_id
from volnet.units.models import Membership, Unit

DAY = dt.timedelta(days=1)


def test_a_unit_scope_is_its_serving_volunteers_and_only_for_its_staff(supervisor_a, supervisor_b, unit_a, volunteer):
    gone = make_person("F222222222", "已離隊")
    Membership.objects.create(volunteer=gone, unit=unit_a, status="ended", joined_on=dt.date(2020, 1, 1),
                              left_on=dt.date(2024, 1, 1))
    scope = queries.unit_scope(supervisor_a, unit_a)
    assert (scope.label, scope.unit, scope.authority) == (unit_a.label, unit_a, None)
    assert [m.volunteer for m in scope.memberships] == [volunteer]
    with pytest.raises(PermissionDenied):
        queries.unit_scope(supervisor_b, unit_a)


def test_an_authority_scope_covers_every_unit_of_the_authority(authority_clerk, authority, volunteer,
                                                               other_volunteer, supervisor_a):
    scope = queries.authority_scope(authority_clerk)
    assert (scope.label, scope.unit, scope.authority) == (authority.name, None, authority)
    assert {m.volunteer for m in scope.memberships} == {volunteer, other_volunteer}
    assert queries.authority_scope(authority_clerk, authority_id=999_999).authority == authority  # not theirs
    assert queries.authority_scope(supervisor_a) is None  # a unit's staff are no authority's


def test_each_volunteer_stands_with_their_verdicts_in_name_order(supervisor_a, unit_a, eligible):
    other = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=other, unit=unit_a, joined_on=dt.date(2024, 1, 1))
    found = queries.standings(queries.unit_scope(supervisor_a, unit_a), TODAY, scheme=Scheme.HONOR_CARD)
    assert [row.volunteer.name for row in found] == ["測試熊", "王小明"]  # by name, as the database sorts it
    bear, newcomer = found
    assert bear.units == [unit_a] and bear.shown.eligible and bear.matches("yes") and not bear.matches("no")
    assert not newcomer.shown.eligible and newcomer.matches("no")
    assert all(row.matches("all") for row in found)


def test_a_search_finds_by_name_or_id_number(supervisor_a, unit_a, volunteer):
    other = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=other, unit=unit_a, joined_on=dt.date(2024, 1, 1))
    scope = queries.unit_scope(supervisor_a, unit_a)
    assert [row.volunteer for row in queries.standings(scope, TODAY, text="王小")] == [other]
    assert [row.volunteer for row in queries.standings(scope, TODAY, text="e1223")] == [volunteer]
    assert queries.standings(scope, TODAY, text="李") == []


def test_applications_already_made_are_pending_for_their_scheme_only(supervisor_a, unit_a, eligible, build):
    build.hours(dt.date(2022, 6, 1), 1300)  # 1,620 h: a 銅質 badge too
    services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a, today=TODAY)
    services.apply_for_award(actor=supervisor_a, volunteer=eligible, unit=unit_a, scheme=Scheme.HEALTH_BADGE,
                             today=TODAY)
    scope = queries.unit_scope(supervisor_a, unit_a)
    pending = {scheme: queries.standings(scope, TODAY, scheme=scheme)[0].pending
               for scheme in (Scheme.HONOR_CARD, Scheme.HEALTH_BADGE, Scheme.VOLUNTEER_MEDAL, None)}
    assert pending == {Scheme.HONOR_CARD: True, Scheme.HEALTH_BADGE: True, Scheme.VOLUNTEER_MEDAL: False,
                       None: False}


def test_the_current_card_is_the_one_every_page_shows(supervisor_a, unit_a, volunteer, build):
    longest = build.card(valid_from=TODAY - 400 * DAY, valid_to=TODAY + 700 * DAY, number="TC-HC-LONGEST")
    build.card(valid_from=TODAY - 10 * DAY, valid_to=TODAY + 500 * DAY, number="TC-HC-RECENT")
    [row] = queries.standings(queries.unit_scope(supervisor_a, unit_a), TODAY)
    assert row.current_card == longest


def test_a_certificate_issued_for_the_period_is_marked(supervisor_a, unit_a, eligible):
    today = dt.date(2026, 3, 10)
    scope = queries.unit_scope(supervisor_a, unit_a)
    [before] = queries.standings(scope, today)
    assert before.certificate.eligible and not before.certificate_issued
    issue_certificate(supervisor_a, unit_a, eligible, today)
    [after] = queries.standings(scope, today)
    assert after.certificate_issued


def test_an_authority_scope_has_no_unit_certificate(authority_clerk, eligible):
    [row] = queries.standings(queries.authority_scope(authority_clerk), TODAY, scheme=Scheme.HEALTH_BADGE)
    assert row.certificate is None and not row.certificate_issued and row.units == [Unit.objects.get()]


def test_many_volunteers_cost_the_same_queries_as_one(supervisor_a, unit_a, eligible, build,
                                                      django_assert_max_num_queries):
    scope = queries.unit_scope(supervisor_a, unit_a)
    with CaptureQueriesContext(connection) as one:
        queries.standings(scope, TODAY)
    for n in range(5):
        person = make_person(valid_id("A", f"1000000{n}"), f"志工{n}")
        Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2021, 1, 1))
        build.ready(dt.date(2021, 1, 4), volunteer=person)
    with django_assert_max_num_queries(len(one)):
        assert len(queries.standings(scope, TODAY)) == 6
