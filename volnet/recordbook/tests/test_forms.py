import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from volnet.recordbook.forms import FilterForm
from volnet.recordbook.queries import Filters

UNITS = [(7, "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")]
ITEMS = ["綜合服務", "環保服務"]


def form(**data):
    return FilterForm(data, units=UNITS, items=ITEMS)


def test_empty_filters_are_valid_and_mean_everything():
    f = form()
    assert f.is_valid()
    assert f.filters() == Filters()
    assert not f.filters().active


def test_roc_dates_in_every_common_spelling_are_read():
    for text in ["115/03/01", "115-3-1", "1150301", "115年3月1日", "１１５／０３／０１"]:
        f = form(start=text)
        assert f.is_valid(), text
        assert f.filters().start == dt.date(2026, 3, 1)


def test_valid_choices_become_filters():
    f = form(unit="7", item="環保服務", start="115/03/01", end="115/03/30")
    assert f.is_valid()
    assert f.filters() == Filters(unit=7, item="環保服務", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 30))


def test_a_reversed_range_is_an_error_on_the_end_date():
    f = form(start="115/03/30", end="115/03/01")
    assert not f.is_valid()
    assert f.errors["end"] == ["結束日期 115/03/01 早於開始日期 115/03/30，請確認。"]
    assert "start" not in f.errors


def test_an_item_not_in_the_list_is_refused_in_chinese():
    f = form(item="偷看別人的項目")
    assert not f.is_valid()
    assert f.errors["item"] == ["請從清單中選擇服務項目。"]


@given(st.dictionaries(st.sampled_from(["unit", "item", "start", "end", "page", "tab"]), st.text(max_size=40)))
def test_any_query_string_gives_filters_or_chinese_messages_never_an_exception(data):
    f = FilterForm(data, units=UNITS, items=ITEMS)
    if f.is_valid():
        assert isinstance(f.filters(), Filters)
    else:
        for messages in f.errors.values():
            assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in messages)
