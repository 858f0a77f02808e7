"""Other registered items and awards: entered by the unit, corrected with history."""

import datetime as dt

import pytest

from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import Award
from volnet.records.services import RecordError


def test_an_other_item_needs_a_title_and_belongs_to_a_member(supervisor_a, unit_a, volunteer, other_volunteer):
    with pytest.raises(RecordError) as error:
        services.add_other_item(actor=supervisor_a, unit=unit_a, volunteer=volunteer, title=" ",
                                start_date=dt.date(2024, 1, 1))
    assert error.value.field == "title"
    with pytest.raises(RecordError) as error:
        services.add_other_item(actor=supervisor_a, unit=unit_a, volunteer=other_volunteer, title="幹部",
                                start_date=dt.date(2024, 1, 1))
    assert error.value.field == "volunteer"
    item = services.add_other_item(actor=supervisor_a, unit=unit_a, volunteer=volunteer, title="小隊長",
                                   content="第一小隊", start_date=dt.date(2024, 1, 1))
    services.update_other_item(item, actor=supervisor_a, title="副隊長")
    assert AuditEntry.objects.get(action="records.other_item.updated").changes == {"事項": ["小隊長", "副隊長"]}


def test_an_award_cannot_be_dated_in_the_future(supervisor_a, unit_a, volunteer):
    with pytest.raises(RecordError) as error:
        services.add_award(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind="other", name="志願服務獎章",
                           level="三等", awarded_on=dt.date(2999, 1, 1), granted_by="中華民國志願服務協會")
    assert error.value.field == "awarded_on"


def test_an_award_is_corrected_and_deleted_only_by_its_unit(supervisor_a, supervisor_b, unit_a, volunteer):
    award = services.add_award(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind="other",
                               name="志願服務獎章", level="三等", awarded_on=dt.date(2024, 12, 5),
                               granted_by="中華民國志願服務協會")
    with pytest.raises(RecordError):
        services.update_award(award, actor=supervisor_b, level="二等")
    services.update_award(award, actor=supervisor_a, level="二等")
    assert Award.objects.get().level == "二等"
    services.delete_award(award, actor=supervisor_a)
    assert not Award.objects.exists()


def test_an_award_without_a_unit_cannot_be_changed_here(supervisor_a, volunteer):
    award = Award.objects.create(volunteer=volunteer, unit=None, kind="volunteer_service", name="志願服務績優銅牌獎",
                                 awarded_on=dt.date(2020, 8, 1), granted_by="衛生福利部")
    with pytest.raises(RecordError) as error:
        services.update_award(award, actor=supervisor_a, level="銅牌")
    assert error.value.code == "forbidden"
