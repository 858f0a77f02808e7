"""A staff member with several units picks one; the choice is kept; units not managed are 404."""

from django.urls import reverse

from volnet.units.models import Unit


def test_a_supervisor_of_one_unit_sees_its_name_and_no_switcher(staff_client, supervisor_a):
    html = staff_client(supervisor_a).get(reverse("backoffice:home")).content.decode()
    assert "目前單位：<strong>2-299" in html and 'id="unit-switcher"' not in html


def test_switching_is_remembered_across_pages(staff_client, authority_clerk, unit_a, unit_b):
    client = staff_client(authority_clerk)
    assert client.get(reverse("backoffice:home")).context["unit"] == unit_b  # 1-187 sorts first
    response = client.post(reverse("backoffice:switch_unit"),
                           {"unit": unit_a.pk, "next": reverse("backoffice:services") + "?page=3"})
    assert response["Location"] == reverse("backoffice:services")
    assert client.get(reverse("backoffice:volunteers")).context["unit"] == unit_a
    assert client.get(reverse("backoffice:home"), {"unit": unit_b.pk}).context["unit"] == unit_b
    assert client.get(reverse("backoffice:home")).context["unit"] == unit_b


def test_a_unit_not_managed_is_not_found(staff_client, supervisor_a, unit_b):
    client = staff_client(supervisor_a)
    assert client.get(reverse("backoffice:volunteers"), {"unit": unit_b.pk}).status_code == 404
    assert client.post(reverse("backoffice:switch_unit"), {"unit": unit_b.pk}).status_code == 404
    assert client.get(reverse("backoffice:volunteers"), {"unit": "abc"}).status_code == 404


def test_the_switcher_never_redirects_off_site(staff_client, authority_clerk, unit_a):
    response = staff_client(authority_clerk).post(reverse("backoffice:switch_unit"),
                                                  {"unit": unit_a.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/backoffice/"


def test_teams_below_a_unit_are_offered(staff_client, supervisor_a, unit_a, authority):
    Unit.objects.create(code="2-300", name="樂樂第二隊", authority=authority, parent=unit_a)
    html = staff_client(supervisor_a).get(reverse("backoffice:home")).content.decode()
    assert 'id="unit-switcher"' in html and "2-300樂樂第二隊" in html
