"""Attack: only the person a unit asks may answer its request (issue 11). Another volunteer who posts the
request's id, to accept it for them or to decline it, is refused and the request stays as it was."""

import pytest
from django.urls import reverse

from volnet.units.models import Membership


@pytest.fixture
def request_to_other_volunteer(other_volunteer, unit_a, supervisor_a):
    return Membership.objects.create(volunteer=other_volunteer, unit=unit_a, status=Membership.Status.PENDING,
                                     requested_by=supervisor_a)


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_another_volunteer_cannot_answer_someone_elses_request(client, volunteer, request_to_other_volunteer,
                                                               answer):
    client.force_login(volunteer)
    response = client.post(reverse("portal:unit_request_answer", args=[request_to_other_volunteer.pk]),
                           {"answer": answer})
    assert response.status_code == 404
    request_to_other_volunteer.refresh_from_db()
    assert request_to_other_volunteer.status == Membership.Status.PENDING
    assert request_to_other_volunteer.answered_at is None


def test_a_unit_request_cannot_be_answered_without_signing_in(client, request_to_other_volunteer):
    response = client.post(reverse("portal:unit_request_answer", args=[request_to_other_volunteer.pk]),
                           {"answer": "accept"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    request_to_other_volunteer.refresh_from_db()
    assert request_to_other_volunteer.status == Membership.Status.PENDING
