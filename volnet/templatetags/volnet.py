"""Filters every template may use without {% load %}: ROC dates, hours, masks, lists."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import smart_split

from volnet.lib import hours, masking, rocdate, words

register = template.Library()

register.filter("roc", rocdate.format)
register.filter("roc_datetime", rocdate.format_datetime)
register.filter("minutes", hours.format_minutes)
register.filter("hours", hours.format_hours)
register.filter("mask_id", masking.mask_id)
register.filter("mask_name", masking.mask_name)
register.filter("mask_email", masking.mask_email)
register.filter("join_list", words.join_list)


@register.filter
def roc_range(start, end):
    return rocdate.format_range(start, end)


TABLE_OPTIONS = {"caption", "hidden_caption", "stack", "table_class"}


class NumericColumn(str):
    numeric = True


@register.filter
def numeric(header):
    """A `{% table %}` column of figures: its header and cells (`<td class="num">`) align as numbers do."""
    return NumericColumn(header)


@register.tag("table")
def table(parser, token):
    """`{% table "id" _("header") … caption=_("…") hidden_caption=True stack=True %}<tr>…</tr>{% endtable %}`: a
    wide table in its keyboard-reachable scrolling region named by its caption (`templates/_table.html`), the
    rows in between. `stack`: on a phone every row is a card of its cells, each cell labelled by its
    `data-label` (portal.css), with the table roles the card layout would otherwise take from the browser.
    `table_class`: the page's own class for its stylesheet. A header that is empty (a variable left unset
    by `{% if %}`) is no column: the rows leave out its cell under the same condition."""
    bits = list(smart_split(token.contents))  # split_contents() breaks on _("…")|filter
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes an id, column headers and caption=…")
    headers, options = [], {}
    for bit in bits[2:]:
        key, equals, value = bit.partition("=")
        if equals and key.isidentifier():
            if key not in TABLE_OPTIONS:
                raise template.TemplateSyntaxError(f"{bits[0]}: unknown option {key!r} ({sorted(TABLE_OPTIONS)})")
            options[key] = parser.compile_filter(value)
        else:
            headers.append(parser.compile_filter(bit))
    if not headers:
        raise template.TemplateSyntaxError(f"{bits[0]} takes at least one column header")
    if "caption" not in options:
        raise template.TemplateSyntaxError(f"{bits[0]} needs caption=… (it names the scrolling region)")
    rows = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(parser.compile_filter(bits[1]), headers, options, rows)


class TableNode(template.Node):
    def __init__(self, name, headers, options, rows):
        self.name, self.headers, self.options, self.rows = name, headers, options, rows

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.options.items()}
        shell = context.template.engine.get_template("_table.html")
        with context.push(id=self.name.resolve(context), headers=[header.resolve(context) for header in self.headers],
                          rows=mark_safe(self.rows.render(context)), **values):  # rendered, so escaped already
            return shell.render(context)
