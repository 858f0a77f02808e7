"""Training entries: 基礎/特殊 with category, minutes, certificate number, corrections with history."""

import datetime as dt

import pytest

from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import TrainingRecord
from volnet.records.services import RecordError


def add(actor, unit, person, **overrides):
    values = dict(kind="special", category="social_welfare", course="社會福利概述", organiser="臺中市政府社會局",
                  start_date=dt.date(2021, 10, 2), end_date=dt.date(2021, 10, 3), minutes=720,
                  certificate_number="中市社志字第 110001 號")
    values.update(overrides)
    return services.add_training(actor=actor, unit=unit, volunteer=person, **values)


def test_special_training_needs_its_category(supervisor_a, unit_a, volunteer):
    with pytest.raises(RecordError) as error:
        add(supervisor_a, unit_a, volunteer, category="")
    assert error.value.field == "category"
    assert not TrainingRecord.objects.exists()


def test_basic_training_drops_a_category_it_does_not_need(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer, kind="basic", category="")
    assert record.category == ""
    assert record.registrant == supervisor_a


def test_minutes_must_be_positive_and_fit_in_the_days(supervisor_a, unit_a, volunteer):
    assert services.training_problems(volunteer=volunteer, kind="basic", category="", course="x", organiser="y",
                                      start_date=dt.date(2021, 1, 1), end_date=None, minutes=0)["minutes"]
    problems = services.training_problems(volunteer=volunteer, kind="basic", category="", course="x",
                                          organiser="y", start_date=dt.date(2021, 1, 1), end_date=None,
                                          minutes=24 * 60 + 1)
    assert "超過" in problems["minutes"]


def test_a_training_correction_keeps_the_old_certificate_number(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    services.update_training(record, actor=supervisor_a, certificate_number="中市社志字第 110002 號", minutes=360)
    entry = AuditEntry.objects.get(action="records.training.updated")
    assert entry.changes["結業證書字號"] == ["中市社志字第 110001 號", "中市社志字第 110002 號"]
    assert entry.changes["訓練時數(分鐘)"] == ["12小時00分鐘", "6小時00分鐘"]


def test_another_unit_cannot_touch_the_training(supervisor_a, supervisor_b, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    with pytest.raises(RecordError) as error:
        services.delete_training(record, actor=supervisor_b)
    assert error.value.code == "forbidden"
    services.delete_training(record, actor=supervisor_a, reason="登錯志工")
    assert AuditEntry.objects.get(action="records.training.deleted").changes["刪除原因"] == ["", "登錯志工"]
