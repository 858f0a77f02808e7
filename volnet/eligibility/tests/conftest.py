"""Fixtures of the eligibility tests."""

import pytest

from volnet.eligibility.tests.builders import Builder


@pytest.fixture
def build(volunteer, unit_a, supervisor_a, authority):
    return Builder(volunteer, unit_a, supervisor_a, authority)
