"""Whatever staff type into the main forms, the answer is a page (saved or with Chinese errors), never a 500."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEXT = st.text(max_size=40)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(item=TEXT, content=TEXT, start=TEXT, end=TEXT, hours=TEXT)
def test_the_service_form_never_fails(staff_client, supervisor_a, volunteer, item, content, start, end, hours):
    response = staff_client(supervisor_a).post(reverse("backoffice:service_add"), {
        "volunteer": volunteer.pk, "service_item": item, "content": content, "start_date": start, "end_date": end,
        "hours": hours,
    })
    assert response.status_code in (200, 302)


@SETTINGS
@given(start=TEXT, end=TEXT, hours=TEXT, item=TEXT, month=TEXT)
def test_the_grid_never_fails(staff_client, supervisor_a, volunteer, start, end, hours, item, month):
    response = staff_client(supervisor_a).post(reverse("backoffice:service_grid") + "?" + f"month={month[:10]}", {
        "start": start, "end": end, "item": "綜合服務", "content": "問安", f"h-{volunteer.pk}": hours,
        f"item-{volunteer.pk}": item,
    })
    # A NUL in the address itself is answered with the 400 page before any view (volnet.http.RefuseNulMiddleware).
    assert response.status_code in ((400,) if "\x00" in month[:10] else (200, 302))


@SETTINGS
@given(name=TEXT, birth=TEXT, email=TEXT, national_id=TEXT)
def test_adding_a_volunteer_never_fails(staff_client, supervisor_a, name, birth, email, national_id):
    client = staff_client(supervisor_a)
    assert client.post(reverse("backoffice:volunteer_add"),
                       {"step": "lookup", "national_id": national_id}).status_code == 200
    response = client.post(reverse("backoffice:volunteer_add"), {
        "step": "create", "national_id": national_id, "name": name, "birth_date": birth, "email": email,
        "delivery": "show",
    })
    assert response.status_code in (200, 302)
