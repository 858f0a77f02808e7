"""The back-office gate: staff only, strangers to the staff sign-in, and no way around two-factor."""

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

HOME = reverse("backoffice:home")


def test_a_stranger_is_sent_to_the_staff_sign_in(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:staff_login')}?next={HOME}"


def test_a_volunteer_is_refused(client, volunteer):
    client.force_login(volunteer)
    assert client.get(HOME).status_code == 403


def test_staff_without_two_factor_come_in(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(HOME).status_code == 200


def test_staff_with_two_factor_need_the_code_in_this_session(client, supervisor_a):
    device = TOTPDevice.objects.create(user=supervisor_a, name="手機", confirmed=True)
    client.force_login(supervisor_a)  # e.g. through the volunteers' login: password only
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:staff_login"))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(HOME).status_code == 200


def test_an_unconfirmed_device_does_not_lock_anyone_out(client, supervisor_a):
    TOTPDevice.objects.create(user=supervisor_a, name="設定中", confirmed=False)
    client.force_login(supervisor_a)
    assert client.get(HOME).status_code == 200
