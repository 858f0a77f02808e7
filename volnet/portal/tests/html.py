"""Read what a page shows, as a person would: the text of table rows, headings, links."""

import re
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = []  # [{"caption": str, "head": [cells], "body": [[cells]], "foot": [[cells]]}]
        self._table = None
        self._section = None
        self._row = None
        self._cell = None
        self._caption = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "svg"):
            self._skip += 1
        if tag == "table":
            self._table = {"caption": "", "class": attrs.get("class", ""), "head": [], "body": [], "foot": []}
            self._section = "body"
        elif self._table is None:
            return
        elif tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1
        if self._table is None:
            return
        if tag == "caption" and self._caption is not None:
            self._table["caption"] = _clean("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table[self._section].append(self._row)
            self._row = None
        elif tag == "table":
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _clean(text):
    return _SPACE.sub(" ", text).strip()


def tables(content):
    parser = _Tables()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return parser.tables


def table(content, caption):
    """The table whose caption contains `caption`: {"head": [...], "body": [[...]], "foot": [[...]]}."""
    found = [t for t in tables(content) if caption in t["caption"]]
    assert len(found) == 1, f"expected one table captioned {caption!r}, found {[t['caption'] for t in tables(content)]}"
    t = found[0]
    return {"head": t["head"][0] if t["head"] else [], "body": t["body"], "foot": t["foot"]}


def text(content):
    """Visible text of the page, whitespace collapsed (tags removed)."""
    content = content.decode() if isinstance(content, bytes) else content
    content = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", content, flags=re.S)
    return _clean(re.sub(r"<[^>]+>", " ", content).replace("&amp;", "&"))
