"""Fixtures of the eligibility tests."""

import pytest

from volnet.eligibility.tests.builders import Builder, rule_table


@pytest.fixture
def build(volunteer, unit_a, supervisor_a, authority):
    return Builder(volunteer, unit_a, supervisor_a, authority)


@pytest.fixture(autouse=True)
def _rule_table(request):
    rule_table(request)
