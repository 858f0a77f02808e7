"""Every word a user reads goes through Django's translation machinery, and English has all of them.

The source language is Traditional Chinese: msgids are the Chinese the manual uses, so the default
pages read exactly as before and the English catalogue under each app's locale/en/ translates them.
A string that must stay Chinese in every language (a file format's column headings, text stored in
the database) says so with a `# zh-only: <reason>` comment on its statement; a whole file that is an
official Chinese form says so with a `zh-only-file: <reason>` comment.
"""

import ast
import gettext
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VOLNET = ROOT / "volnet"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # ideographs: punctuation alone is not a word
# Demo data is data, and the benchmarks are tools for developers; neither is UI.
NOT_UI = {"demo", "tests", "migrations"}
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "npgettext", "npgettext_lazy", "gettext_noop"}

TEMPLATE_TRANSLATED = [
    re.compile(r"\{%\s*(?:translate|trans)\s.*?%\}", re.S),
    re.compile(r"\{%\s*(?:blocktranslate|blocktrans)\b.*?%\}.*?\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"""\{%\s*(?:translate|trans)\s.*?%\}|_\((["']).*?\1\)""", re.S),  # {{ _("…") }} in filters
    # A choice offered in its own language, e.g. the switch back to Chinese, is marked lang="zh-Hant-TW".
    re.compile(r"""<(button|a|span|option)\b[^>]*\blang="zh-Hant-TW"[^>]*>[^<]*</\1>"""),
]


def areas():
    """The project's own modules ("volnet") and each folder under volnet/: apps, lib, templates, static."""
    return ["volnet",
            *sorted(p.name for p in VOLNET.iterdir() if p.is_dir() and p.name not in NOT_UI | {"__pycache__"})]


def files_of(area, suffix):
    if area == "volnet":
        return sorted(VOLNET.glob(f"*{suffix}"))
    return sorted(p for p in VOLNET.joinpath(area).rglob(f"*{suffix}")
                  if not NOT_UI.intersection(p.relative_to(VOLNET).parts))


def untranslated_template_text(source):
    if "zh-only-file:" in source:
        return []
    for pattern in TEMPLATE_TRANSLATED:
        source = pattern.sub("", source)
    return [line.strip() for line in source.splitlines() if CJK.search(line)]


def exempt_lines(source, tree):
    lines = source.splitlines()
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            first = node.lineno - 1
            marked = "# zh-only:" in lines[first] or (first > 0 and lines[first - 1].strip().startswith("# zh-only:"))
            if marked:
                exempt.update(range(node.lineno, node.end_lineno + 1))
    return exempt


def untranslated_python_text(source):
    if "# zh-only-file:" in source:
        return []
    tree = ast.parse(source)
    inside_gettext, docstrings = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in GETTEXT_CALLS:
                inside_gettext.update(id(n) for arg in node.args for n in ast.walk(arg))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    exempt = exempt_lines(source, tree)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
                and id(node) not in inside_gettext and id(node) not in docstrings and node.lineno not in exempt):
            found.append(f"line {node.lineno}: {node.value.strip()[:60]}")
    return found


@pytest.mark.parametrize("area", areas())
def test_templates_translate_every_chinese_word(area):
    problems = {}
    for path in [*files_of(area, ".html"), *files_of(area, ".txt")]:
        if "templates" not in path.parts:
            continue
        left = untranslated_template_text(path.read_text())
        if left:
            problems[str(path.relative_to(ROOT))] = left[:5]
    assert not problems, f"Chinese outside {{% translate %}} / {{% blocktranslate %}}: {problems}"


@pytest.mark.parametrize("area", areas())
def test_python_marks_every_chinese_string_for_translation(area):
    problems = {}
    for path in files_of(area, ".py"):
        left = untranslated_python_text(path.read_text())
        if left:
            problems[str(path.relative_to(ROOT))] = left[:5]
    assert not problems, f"Chinese strings outside gettext() and not marked '# zh-only:': {problems}"


@pytest.mark.parametrize("area", areas())
def test_scripts_take_their_words_from_the_page(area):
    """Scripts read their words from data- attributes the template translated, so no catalogue of
    their own is needed."""
    problems = {}
    for path in files_of(area, ".js"):
        left = [line.strip() for line in path.read_text().splitlines()
                if CJK.search(line) and not line.strip().startswith("//")]
        if left:
            problems[str(path.relative_to(ROOT))] = left[:5]
    assert not problems, f"Chinese words inside scripts: {problems}"


def catalogues():
    return (sorted(ROOT.glob("locale/en/LC_MESSAGES/django.po"))
            + sorted(VOLNET.glob("*/locale/en/LC_MESSAGES/django.po")))


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_english_catalogue_is_complete_and_compiles(po):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def compiled(po, tmp_path):
    mo = tmp_path / (po.parents[3].name + ".mo")
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def test_one_chinese_phrase_reads_the_same_in_english_everywhere(tmp_path):
    """Django merges the catalogues and the first app wins, so two apps translating one msgid
    differently would show one app's English on the other's pages. Different meanings take a context
    (pgettext / {% translate … context … %})."""
    seen, clashes = {}, []
    for po in catalogues():
        for msgid, msgstr in compiled(po, tmp_path).items():
            if not msgid or isinstance(msgid, tuple):
                continue
            where = po.parents[3].name
            if msgid in seen and seen[msgid][1] != msgstr:
                clashes.append(f"{msgid!r}: {seen[msgid][0]} {seen[msgid][1]!r} ≠ {where} {msgstr!r}")
            seen.setdefault(msgid, (where, msgstr))
    assert not clashes, "\n".join(clashes)


def test_every_app_with_words_has_its_english_catalogue():
    """makemessages run in an app's folder fills the app's own locale/; the project's words
    (templates/, lib/, its modules) go to locale/ at the top."""
    have = {po.parents[3] for po in catalogues()}
    assert ROOT in have
    for area in areas():
        folder = VOLNET / area
        words = [p for suffix in (".py", ".html", ".txt") for p in files_of(area, suffix) if CJK.search(p.read_text())]
        if (folder / "apps.py").exists() and words:
            assert folder in have, f"volnet/{area}/locale/en/LC_MESSAGES/django.po is missing"
