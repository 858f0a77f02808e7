"""A unit of many volunteers costs a fixed number of queries."""

import datetime as dt

from conftest import make_person
from volnet.honorcard.queries import evaluate_many
from volnet.units.models import Membership

IDS = ["A123456789", "F222222222", "A800000014", "A900000016", "AA00000009", "FC12345674"]


def test_evaluating_many_volunteers_costs_the_same_queries_as_one(build, volunteer, unit_a, django_assert_num_queries):
    people = [volunteer]
    for number in IDS:
        person = make_person(number, "志工")
        Membership.objects.create(volunteer=person, unit=unit_a, joined_on=dt.date(2021, 1, 1))
        build.ready(dt.date(2021, 1, 1), volunteer=person)
        build.hours(dt.date(2022, 1, 1), 100, volunteer=person)
        people.append(person)
    with django_assert_num_queries(8):
        results = evaluate_many([p.pk for p in people], dt.date(2025, 1, 15))
    assert len(results) == len(people)
    with django_assert_num_queries(8):
        evaluate_many([volunteer.pk], dt.date(2025, 1, 15))
