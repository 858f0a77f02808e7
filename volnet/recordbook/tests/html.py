"""Read the query page as a person would: the result table's rows, the page links, field messages."""

import re
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.foot, self.pagination, self.tabs = [], [], [], []
        self._in = []  # stack of interesting containers
        self._row = None
        self._cell = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "table" and "rb-table" in classes:
            self._in.append("table")
        elif tag == "tfoot" and "table" in self._in:
            self._in.append("tfoot")
        elif tag == "ul" and "pagination" in classes:
            self._in.append("pagination")
        elif tag == "ul" and "rb-tabs" in classes:
            self._in.append("tabs")
        elif tag == "tr" and "table" in self._in:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and self._in and self._in[-1] in ("pagination", "tabs"):
            self._link = {"href": attrs.get("href"), "current": attrs.get("aria-current") == "page", "text": []}

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (self.foot if "tfoot" in self._in else self.rows).append(self._row)
            self._row = None
        elif tag == "tfoot" and self._in and self._in[-1] == "tfoot":
            self._in.pop()
        elif tag == "table" and self._in and self._in[-1] == "table":
            self._in.pop()
        elif tag == "a" and self._link is not None:
            self._link["text"] = "".join(self._link["text"]).strip()
            (self.pagination if self._in[-1] == "pagination" else self.tabs).append(self._link)
            self._link = None
        elif tag == "ul" and self._in and self._in[-1] in ("pagination", "tabs"):
            self._in.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link["text"].append(data)


def read(response):
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    page.html = html
    page.body_rows = page.rows[1:]  # the first row is the header
    page.header = page.rows[0] if page.rows else []
    page.text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return page
