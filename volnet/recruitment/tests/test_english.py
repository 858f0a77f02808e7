"""志工招募 in English (the footer's language switch): the openings, applying, and the units' pages."""

import re

from django.urls import reverse

from conftest import IDEOGRAPH, in_english
from volnet.recruitment import services
from volnet.recruitment.tests.test_manage_views import VALID


def main_of(response):
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_empty_list_has_no_chinese_word_at_all(client, db):
    in_english(client)
    main = main_of(client.get(reverse("recruitment:list")))
    without_items = re.sub(r"<select.*?</select>", "", main, flags=re.S)  # the service items are data
    assert not IDEOGRAPH.search(without_items), text_of(without_items)
    text = text_of(main)
    assert "Volunteer openings" in text
    assert "There are no openings right now. Please come back in a few days." in text
    assert '<option value="" selected>All service items</option>' in main
    assert 'placeholder="For example: Xitun, library"' in main


def test_the_list_counts_and_pages_in_english(client, posting_factory):
    in_english(client)
    for number in range(11):
        posting_factory(title=f"opening {number}", quota=1)
    text = text_of(main_of(client.get(reverse("recruitment:list"))))
    assert "11 openings are recruiting now." in text
    assert "1 wanted, 1 place left" in text
    assert "11 records, page 1 of 2" in text and "Next page" in text
    text = text_of(main_of(client.get(reverse("recruitment:list"), {"q": "opening 3"})))
    assert "1 opening matches." in text


def test_a_posting_and_applying_in_english(client, posting, newcomer):
    in_english(client)
    detail = reverse("recruitment:detail", args=[posting.pk])
    text = text_of(main_of(client.get(detail)))
    for words in ["About this opening", "Recruiting unit", "Place of service", "Service period",
                  "5 wanted, 5 places left", "Please log in to the Volunteer Service Network first", "Log in to apply"]:
        assert words in text
    client.force_login(newcomer)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "x" * 301})
    assert response.status_code == 400
    text = text_of(main_of(response))
    assert "Please correct the following, then send again:" in text
    assert "A message for the recruiting unit" in text and "(required)" not in text
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "Weekends"}, follow=True)
    text = text_of(main_of(response))
    assert (f"Your application for “{posting.title}” has been sent. Once the unit replies, you can see the result "
            "under “My applications”.") in text
    assert "Your application: Under review" in text and "Withdraw application" in text
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "again"})
    assert "You have already applied for this opening. Please wait for the unit to reply." in text_of(main_of(response))


def test_the_units_pages_in_english(client, posting, newcomer, supervisor_a, unit_a):
    in_english(client)
    application = services.apply(posting, newcomer)
    client.force_login(supervisor_a)
    text = text_of(main_of(client.get(reverse("recruitment:manage"))))
    assert "Recruitment" in text and "New opening" in text and "(1 in total)" in text
    assert "Awaiting review" in text
    main = main_of(client.get(reverse("recruitment:manage_detail", args=[posting.pk])))
    text = text_of(main)
    assert "0 accepted / 5 wanted" in text and "Applicants" in text
    assert f'aria-label="Accept {newcomer.name}">Accept</button>' in main
    assert [tab for tab in ["All", "Under review", "Accepted", "Not accepted", "Withdrawn"] if f">{tab}</a>" in main] \
        == ["All", "Under review", "Accepted", "Not accepted", "Withdrawn"]
    response = client.post(reverse("recruitment:accept", args=[application.pk]), follow=True)
    assert (f"{newcomer.name} is accepted and has joined {unit_a.name} as an active volunteer."
            in text_of(main_of(response)))


def test_a_bad_posting_form_says_why_in_english(client, supervisor_a, unit_a):
    in_english(client)
    client.force_login(supervisor_a)
    response = client.post(reverse("recruitment:manage_new"),
                           {**VALID, "unit": unit_a.pk, "quota": "0", "start_date": "115/03/30",
                            "end_date": "115/03/01"})
    assert response.status_code == 400
    main = main_of(response)
    text = text_of(main)
    assert 'href="#id_quota">Volunteers wanted: At least 1 volunteer must be wanted.</a>' in main
    assert "The end date 115/03/01 is before the start date 115/03/30. Please check." in text
    assert "ROC year/month/day, for example 115/03/01" in text
