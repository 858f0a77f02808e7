"""holds(rule, obj) answers a Q for one loaded object exactly as the database does for a queryset."""

import datetime as dt
import itertools

import pytest
from django.db.models import F, Q

from volnet.lib.conditions import holds
from volnet.units.models import Membership, Unit

pytestmark = pytest.mark.django_db

RULES = [
    Q(status=Membership.Status.ACTIVE),
    Q(status__in=Membership.ACCEPTED),
    ~Q(status=Membership.Status.ENDED),
    Q(answered_at__isnull=True),
    Q(left_on__gte=dt.date(2025, 1, 1)),
    Q(left_on__lt=dt.date(2025, 1, 1)) | Q(created_account=True),
    Q(joined_on__lte=dt.date(2024, 6, 1), unit__is_active=True),
    Membership.AWAITS_ANSWER,
    ~Membership.UNCONFIRMED,
    Q(),
]


def _memberships(volunteer, unit_a, unit_b):
    unit_b.is_active = False
    unit_b.save()
    rows = []
    combos = itertools.product(Membership.Status.values, (False, True), (None, dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
                               (None, dt.date(2024, 12, 31), dt.date(2025, 2, 1)), (unit_a, unit_b))
    for status, created, answered, left_on, unit in combos:
        rows.append(Membership(volunteer=volunteer, unit=unit, status=status, created_account=created,
                               answered_at=answered, left_on=left_on, joined_on=dt.date(2024, 1, 1)))
    return rows


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_it_agrees_with_the_database_on_every_combination(rule, volunteer, unit_a, unit_b):
    Membership.objects.all().delete()
    for membership in _memberships(volunteer, unit_a, unit_b):
        # one at a time: the database allows one open membership per person and unit
        Membership.objects.all().delete()
        membership.save()
        found = Membership.objects.filter(rule).exists()
        assert holds(rule, membership) == found, (membership.status, membership.created_account,
                                                  membership.answered_at, membership.left_on, membership.unit)


@pytest.mark.parametrize("rule", [Q(name__icontains="樂"), Q(code=F("name")), Q(memberships__status="active"),
                                  Q(code="x") ^ Q(name="y")], ids=str)
def test_it_refuses_a_rule_it_cannot_answer_rather_than_guess(rule, unit_a):
    with pytest.raises(ValueError):
        holds(rule, unit_a)


def test_it_checks_every_part_even_when_the_first_already_decides(unit_a):
    with pytest.raises(ValueError):
        holds(Q(code="nothing") & Q(name__icontains="樂"), unit_a)


def test_an_empty_rule_holds_as_an_empty_filter_finds_everything(unit_a):
    assert holds(Q(), unit_a) and Unit.objects.filter(Q()).exists()
