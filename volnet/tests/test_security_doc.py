"""docs/security.md cannot rot: every test it cites exists (the suite runs them, so each also passes), every
Level 2 requirement of the six chapters has a line, and each line names a test or says gap or n/a."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
CITED = re.compile(r"`((?:volnet/[\w/]+|conftest)\.py)::(\w+)(?:::(\w+))?(?:\[[^\]`]*\])?`")
ROW = re.compile(r"^\| (\d+\.\d+\.\d+) \|(.*)\|$", re.MULTILINE)


def _ids(chapter, sections):
    """`sections`: {section number: last requirement number}."""
    return {f"{chapter}.{section}.{n}" for section, last in sections.items() for n in range(1, last + 1)}


# The requirements of ASVS 4.0.3 marked for Level 2 in V2, V3, V4, V5, V12 and V13 (2.2.5-2.2.8 and V3.6
# are Level 3 only).
LEVEL_2 = (
    _ids(2, {1: 12, 3: 3, 4: 5, 5: 7, 6: 3, 7: 6, 8: 5, 9: 6, 10: 3, 11: 4}) | {"2.2.1", "2.2.2", "2.2.3", "2.2.4"}
    | _ids(3, {1: 1, 2: 4, 3: 4, 4: 5, 5: 3, 7: 1})
    | _ids(4, {1: 6, 2: 5, 3: 3})
    | _ids(5, {1: 5, 2: 8, 3: 10, 4: 3, 5: 4})
    | _ids(12, {1: 3, 2: 1, 3: 6, 4: 2, 5: 2, 6: 1})
    | _ids(13, {1: 5, 2: 6, 3: 2, 4: 2})
)


def _citations():
    return sorted(set(CITED.findall(DOC.read_text(encoding="utf-8"))))


def _defined(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names |= {f"{node.name}::{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return names


def test_the_page_cites_tests():
    assert len(_citations()) > 100


@pytest.mark.parametrize(("path", "name", "method"), _citations(), ids=lambda v: v)
def test_every_cited_test_exists(path, name, method):
    assert (ROOT / path).is_file(), path
    target = f"{name}::{method}" if method else name
    assert target.startswith(("test_", "Test")) and target in _defined(path), f"{path}::{target}"


def test_every_level_2_requirement_has_one_line_with_a_test_or_a_reason():
    rows = ROW.findall(DOC.read_text(encoding="utf-8"))
    numbers = [number for number, _rest in rows]
    assert len(numbers) == len(set(numbers)), "a requirement has two lines"
    assert set(numbers) == LEVEL_2, (sorted(LEVEL_2 - set(numbers)), sorted(set(numbers) - LEVEL_2))
    for number, rest in rows:
        assert CITED.search(rest) or re.search(r"\*\*gap\*\*|\bn/a\b", rest), number


def test_each_chapter_and_the_threat_model_are_there():
    text = DOC.read_text(encoding="utf-8")
    for heading in ("## Assets", "## Actors", "## Trust boundaries", "## V2 ", "## V3 ", "## V4 ", "## V5 ",
                    "## V12 ", "## V13 "):
        assert heading in text, heading


def test_the_readme_links_it():
    assert "(docs/security.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
