"""The audit log: one way to write an entry, readable diffs, labels, and who may read what."""

import ast
import re
from pathlib import Path

from django.test import RequestFactory

import volnet
from volnet.audit import actions, log
from volnet.audit.models import AuditEntry
from volnet.audit.queries import visible_entries

ACTION_CODE = re.compile(r"(accounts|albums|backoffice|honorcard|portal|records|recruitment)\.[a-z_]+\.[a-z_]+")


def test_diff_lists_only_the_fields_that_changed():
    assert log.diff({"時數": "3", "內容": "問安"}, {"時數": "4", "內容": "問安", "日期": "114/03/01"}) == {
        "日期": ["", "114/03/01"],
        "時數": ["3", "4"],
    }


def test_record_takes_the_actor_and_address_from_the_request(supervisor_a, volunteer, unit_a):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = supervisor_a
    entry = log.record("backoffice.volunteer.viewed", volunteer=volunteer, unit=unit_a, obj=volunteer,
                       request=request)
    assert (entry.actor, entry.ip_address) == (supervisor_a, "203.0.113.9")
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(volunteer.pk))


def test_behind_a_trusted_proxy_the_entry_holds_the_visitors_address(supervisor_a, volunteer, unit_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    request.user = supervisor_a
    entry = log.record("backoffice.volunteer.viewed", volunteer=volunteer, unit=unit_a, obj=volunteer,
                       request=request)
    assert entry.ip_address == "203.0.113.9"


def test_every_action_has_a_chinese_label_and_unknown_codes_show_as_they_are():
    assert actions.label("records.service.updated") == "更正服務時數"
    assert actions.label("something.new") == "something.new"
    assert all(label and not label.isascii() for _, label in actions.choices())


def recorded_action_codes():
    """Every dotted action code the apps pass to the audit log as a literal."""
    codes = set()
    for path in Path(volnet.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ACTION_CODE.fullmatch(node.value):
                codes.add(node.value)
    return codes


def test_every_action_the_apps_record_is_named_in_words_on_the_log_page():
    codes = recorded_action_codes()
    assert "records.import.committed" in codes and "albums.photo.uploaded" in codes  # the scan finds them
    unnamed = {code for code in codes if actions.label(code) == code}
    assert not unnamed, sorted(unnamed)


def test_unit_staff_read_their_units_entries_and_the_authority_reads_more(supervisor_a, supervisor_b,
                                                                          authority_clerk, volunteer, unit_a,
                                                                          unit_b):
    own = log.record("records.service.created", actor=supervisor_a, volunteer=volunteer, unit=unit_a)
    other = log.record("records.service.created", actor=supervisor_b, unit=unit_b)
    personal = log.record("accounts.password.change", actor=volunteer, volunteer=volunteer)
    assert list(visible_entries(supervisor_a)) == [own]
    assert set(visible_entries(authority_clerk)) == {own, other, personal}
    assert not visible_entries(volunteer).exists()
    assert AuditEntry.objects.count() == 3
