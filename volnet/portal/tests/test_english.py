"""我的檔案 in English: a volunteer who chose English in the footer reads every word of it in English.

The English comes from volnet/portal/locale/en (compiled by `make messages`); Chinese stays the default.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from conftest import IDEOGRAPH, ideographs, in_english
from volnet.accounts.models import User
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal.chart import hours_chart
from volnet.portal.tests.html import table, text
from volnet.records.queries import YearTotal

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(client):
    """A volunteer with an English name and nothing on record yet: a page about them holds no Chinese data."""
    person = User.objects.create_user("E222333443", "Correct-Horse-42", name="Amy Lin", birth_date=dt.date(1990, 4, 2))
    client.force_login(person)
    return in_english(client)


def test_the_hours_tab_reads_in_english_chart_and_table_included(bear_client):
    page = in_english(bear_client).get("/me/services/", {"tab": "services"})
    assert page.status_code == 200 and page["Content-Language"] == "en"
    content = page.content.decode()
    assert "<h1>Service records</h1>" in content
    assert '<h2 id="tab-heading" class="tab-heading">Service hours</h2>' in content
    assert "<title>Service hours · Service records" in content
    assert '<title id="hours-chart-title">Bar chart of service hours per ROC year</title>' in content
    assert "ROC year 115: 33 hours; ROC year 114: 11 hours; ROC year 113: 40.7 hours" in content
    assert ">115</text>" in content  # the bar's label: the column is headed "ROC year"
    years = table(page.content, "Service hours and records per ROC year")
    assert years["head"] == ["ROC year", "Records", "Service hours"]
    assert years["body"][0] == ["115", "3", "33 hours"]
    assert years["foot"][0][0] == "Total"
    rows = table(page.content, "Service hours entered by each unit, newest first")
    assert rows["head"] == ["No.", "Service item", "Description", "Service date", "Service hours",
                            "Volunteer unit served", "Entered by", "Correction requests"]
    assert 'data-label="Volunteer unit served"' in content
    assert re.search(r'<p class="list-count">\d+ records, page 1 of 2</p>', content)
    assert 'rel="next">Next page</a>' in content


def test_the_cached_hours_page_is_kept_apart_per_language(bear_client):
    assert "<h1>服務紀錄</h1>" in bear_client.get("/me/services/", {"tab": "services"}).content.decode()
    in_english(bear_client)
    assert "<h1>Service records</h1>" in bear_client.get("/me/services/", {"tab": "services"}).content.decode()
    bear_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "<h1>服務紀錄</h1>" in bear_client.get("/me/services/", {"tab": "services"}).content.decode()


def test_one_hour_is_singular_in_the_spoken_chart():
    chart = hours_chart([YearTotal(2026, Decimal("1"), 1), YearTotal(2025, Decimal("0.5"), 1)])
    with translation.override("en"):
        assert chart.description == "ROC year 115: 1 hour; ROC year 114: 0.5 hours"
    assert chart.description == "115年 1 小時；114年 0.5 小時"


@pytest.mark.parametrize("url, heading", [
    ("/me/", "<h1>My profile</h1>"),
    ("/me/services/?tab=training", "There are no training records yet."),
    ("/me/services/?tab=book", "You do not have a Volunteer Service Record Book yet."),
    ("/me/services/?tab=services", "There are no approved service hours yet."),
    ("/me/services/?tab=insurance", "There is no record of valid volunteer insurance."),
    ("/me/services/?tab=other", "There are no other entries."),
    ("/me/applications/", "You have not applied for any volunteer openings yet."),
    ("/me/profile/", '<h2 id="contact-heading">Contact details</h2>'),
])
def test_a_newcomers_pages_hold_no_chinese_at_all(newcomer, url, heading):
    page = newcomer.get(url)
    assert page.status_code == 200
    assert heading in page.content.decode()
    assert ideographs(page.content.decode()) == []


def test_the_overview_names_the_roc_year_and_says_what_is_missing(newcomer):
    page = text(newcomer.get("/me/").content)
    assert f"Service hours this year (ROC year {dt.date.today().year - 1911})" in page
    assert "No record book yet" in page and "No valid honor card at present" in page
    assert "Not insured at present" in page and "See volunteer insurance" in page


def test_a_wrong_phone_number_is_explained_in_english(bear_client):
    page = in_english(bear_client).post("/me/profile/", {"phone": "call me", "email": "test.bear@example.tw"})
    assert page.status_code == 400
    content = page.content.decode()
    assert "Please correct the following, then send again:" in content
    assert '<a href="#id_phone">Phone: Phone must be digits, for example 04-2222-3333 or 0912-345-678.</a>' in content
    assert '<label for="id_emergency_phone">Emergency contact phone</label>' in content


def test_saving_contact_details_says_so_in_english(bear_client):
    page = in_english(bear_client).post("/me/profile/", {"phone": "0912-000-111", "email": "test.bear@example.tw",
                                                          "current_password": BEAR_PASSWORD},
                                        follow=True)
    assert "Your contact details have been saved." in text(page.content)


def test_the_verification_mail_is_in_the_language_the_volunteer_chose(bear_client):
    in_english(bear_client).post("/me/profile/", {"phone": "0912-000-111", "email": "new.bear@example.tw",
                                                   "current_password": BEAR_PASSWORD})
    [message] = mail.outbox
    assert message.subject == "[Volunteer Service Network] Please verify your new email address"
    assert message.body.startswith("Dear 測試熊,\n\nYou asked the Volunteer Service Network to change your email")
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html and ">Verify the new email address</a>" in html
    assert not IDEOGRAPH.search(message.body.replace("測試熊", ""))


def test_a_photo_that_is_not_a_picture_is_refused_in_english(bear_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = in_english(bear_client).post("/me/profile/photo/", {"photo": SimpleUploadedFile("a.jpg", b"not a picture")})
    assert page.status_code == 400
    assert "This file cannot be read. Photos must be JPEG or PNG files." in text(page.content)
