"""Bar charts drawn on the server as SVG: no script, no CDN. Each chart carries a <title> and a <desc> (what it
shows, its largest bar) and is named by them (role="img", aria-labelledby); the page puts the same figures in
a table right under it, so nothing is only in the picture."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR = 26  # px per bar
GAP = 8
LABEL = 150  # px for the labels
WIDTH = 640


def _number(value):
    if isinstance(value, Decimal):
        return f"{value:,.1f}"
    return f"{value:,}"


def bars(chart_id, title, rows):
    """Horizontal bars for `rows` [(label, value)], scaled to the largest value."""
    rows = [(str(label), value or 0) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    span = WIDTH - LABEL - 90
    drawn = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        length = int(span * value / largest) if largest else 0
        drawn.append((LABEL - 8, y + BAR * 0.7, label[:14], LABEL, y, max(length, 1 if value else 0), BAR,
                      LABEL + length + 6, y + BAR * 0.7, _number(value)))
    if rows and largest:
        top = max(rows, key=lambda row: row[1])
        desc = _("共 %(count)s 項，最大為「%(label)s」%(value)s。") % {
            "count": len(rows), "label": top[0], "value": _number(top[1])}
    else:
        desc = _("沒有資料。")
    body = format_html_join(
        "\n", '<text x="{}" y="{}" text-anchor="end" class="chart__label">{}</text>'
              '<rect x="{}" y="{}" width="{}" height="{}" class="chart__bar"></rect>'
              '<text x="{}" y="{}" class="chart__value">{}</text>', drawn)
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{style}{body}</svg>',
        id=chart_id, w=WIDTH, h=height, title=title, desc=desc, body=body, style=_STYLE)


_STYLE = mark_safe(
    "<style>.chart__bar{fill:#0b5394}.chart__label,.chart__value{font-size:15px;fill:#1a1a1a}</style>")
