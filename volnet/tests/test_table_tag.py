"""`{% table %}` (templatetags/volnet.py, templates/_table.html): the one markup of a wide table, in a scrolling
region a keyboard reaches and a screen reader names by the caption; `stack` adds the roles of the phone's card
layout. The pages' tests read the tables it makes; this checks the shell itself and its refusals."""

import pytest
from django.template import TemplateSyntaxError, engines

from volnet.portal.tests.html import tables


def render(source, **context):
    return engines["django"].from_string("{% load i18n %}" + source).render(context)


def test_a_table_sits_in_a_focusable_region_named_by_its_caption_around_its_rows():
    html = render('{% table "cards"|add:suffix _("卡號") _("狀態") caption=_("榮譽卡") hidden_caption=True %}'
                  "{% for number in numbers %}<tr><td>{{ number }}</td><td>{{ id }}</td></tr>{% endfor %}"
                  "{% endtable %}", suffix="-2", numbers=["A1", "A2"], id="the page's own")
    assert '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="cards-2-caption">' in html
    assert '<caption id="cards-2-caption" class="visually-hidden">榮譽卡</caption>' in html
    [table] = tables(html)
    assert table["head"] == [["卡號", "狀態"]]
    assert table["body"] == [["A1", "the page's own"], ["A2", "the page's own"]]  # the rows see the page's names
    assert 'role="' not in html.split("<table", 1)[1] and "table--stack" not in html


def test_stack_gives_the_phone_card_layout_its_roles():
    html = render('{% table "t" _("卡號") caption="c" stack=True %}<tr role="row"><td role="cell" data-label="卡號">1'
                  "</td></tr>{% endtable %}")
    assert '<table class="table table--stack" role="table">' in html and '<thead role="rowgroup">' in html
    assert '<th scope="col" role="columnheader">卡號</th>' in html and '<tbody role="rowgroup">' in html
    assert '<caption id="t-caption">c</caption>' in html


def test_a_column_of_figures_aligns_as_numbers():
    html = render('{% table "t" _("服務項目") _("服務時數")|numeric caption="c" %}{% endtable %}')
    assert '<th scope="col">服務項目</th>' in html and '<th scope="col" class="num">服務時數</th>' in html


@pytest.mark.parametrize("source", [
    '{% table "t" caption="c" %}{% endtable %}',  # no column
    '{% table "t" _("卡號") %}{% endtable %}',  # no caption: the region would have no name
    '{% table "t" _("卡號") caption="c" stripes=True %}{% endtable %}',  # an option it does not know
])
def test_a_table_without_columns_or_caption_or_with_an_unknown_option_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def test_a_column_left_unset_is_no_column_and_a_page_class_is_kept():
    html = render('{% if review %}{% translate "申請單位" as unit_column %}{% endif %}'
                  '{% table "t" _("志工") unit_column caption="c" table_class="applications-table" %}{% endtable %}')
    assert '<table class="table applications-table">' in html
    [table] = tables(html)
    assert table["head"] == [["志工"]]
    [table] = tables(render('{% translate "申請單位" as unit_column %}{% table "t" _("志工") unit_column caption="c" %}'
                            "{% endtable %}"))
    assert table["head"] == [["志工", "申請單位"]]
