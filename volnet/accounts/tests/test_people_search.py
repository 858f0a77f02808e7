"""One search box rule (accounts.queries.people_filter): an ID number or its beginning, else a name."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from volnet.accounts.queries import people_filter

pytestmark = pytest.mark.django_db


def _found(text, **options):
    return sorted(get_user_model().objects.filter(people_filter(text, **options)).values_list("name", flat=True))


@pytest.mark.parametrize("text", ["E122333441", "e122333441", "E12233", "ｅ１２２ ３３３", " E1 "])
def test_an_id_number_or_its_beginning_finds_the_person(volunteer, other_volunteer, text):
    assert _found(text) == ["測試熊"]


def test_a_name_or_part_of_it_finds_people(volunteer, other_volunteer):
    assert _found("測試") == ["測試熊"]
    assert _found("大同") == ["陳大同"]


def test_an_empty_box_finds_everyone(volunteer, other_volunteer):
    assert _found("  ") == ["測試熊", "陳大同"]


def test_without_names_only_an_id_number_finds_anyone(volunteer, other_volunteer):
    assert _found("測試", names=False) == []
    assert _found("F13579", names=False) == ["陳大同"]


def test_names_may_find_only_some_people_while_id_numbers_find_everyone(volunteer, other_volunteer):
    only_bear = Q(pk=volunteer.pk)
    assert _found("陳大同", names=only_bear) == []
    assert _found("測試熊", names=only_bear) == ["測試熊"]
    assert _found("F135792464", names=only_bear) == ["陳大同"]
