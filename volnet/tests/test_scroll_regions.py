"""Every table sits in the one scrolling region the site has, so a table too wide for a phone scrolls by itself
and a keyboard reaches it (axe: scrollable-region-focusable): `<div class="table-scroll" role="region"
tabindex="0" aria-labelledby="…">`, named by the table's caption or the heading above it. The browser tests
check the pages at 360 px; this checks every template, pages no test opens included."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

VOLNET = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(p for p in VOLNET.rglob("templates/**/*.html") if "tests" not in p.parts)
REGION = {"class": "table-scroll", "role": "region", "tabindex": "0"}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.problems, self.regions, self.sections = [], set(), [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "section" and attrs.get("aria-labelledby"):
            self.sections.add(attrs["aria-labelledby"])
        if tag == "table" and "td" not in self.stack:  # a small table inside a cell scrolls with its row
            parent = self.stack[-1] if self.stack else None
            if parent != "region":
                self.problems.append(f"line {self.getpos()[0]}: a table outside a scrolling region")
        if tag == "div" and "table-scroll" in (attrs.get("class") or "").split():
            wrong = {name: attrs.get(name) for name in ("role", "tabindex") if attrs.get(name) != REGION[name]}
            if wrong:
                self.problems.append(f"line {self.getpos()[0]}: the region has {wrong}")
            self.regions.append((self.getpos()[0], attrs.get("aria-labelledby")))
            self.stack.append("region")
        elif tag not in ("br", "img", "input", "meta", "link", "col", "hr", "source"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "div" and self.stack and self.stack[-1] == "region":
            self.stack.pop()
        elif tag in self.stack:
            while self.stack.pop() != tag:
                pass


@pytest.mark.parametrize("path", [p for p in TEMPLATES if re.search(r"<table|table-scroll", p.read_text())],
                         ids=lambda p: str(p.relative_to(VOLNET)))
def test_every_table_scrolls_in_a_named_region_a_keyboard_reaches(path):
    found = _Tables()
    found.feed(re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "x", path.read_text(), flags=re.S))
    problems = list(found.problems)
    for line, labelled_by in found.regions:
        if not labelled_by or labelled_by not in found.ids:
            problems.append(f"line {line}: the region is not named by a caption or heading of the page")
        elif labelled_by in found.sections:  # axe: landmark-unique
            problems.append(f"line {line}: the region has the name of the section around it")
    assert not problems, problems
