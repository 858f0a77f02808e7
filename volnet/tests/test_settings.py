"""Settings are declared once: every environment variable settings.py reads is in the README's table, every
setting the code reads exists in settings.py (or is Django's own), and none is read with a private default."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "volnet" / "settings.py"
README = ROOT / "README.md"
ENV_HELPERS = {"env_bool", "env_list"}


def _is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os"


def env_reads(source):
    """The names of the environment variables a settings file reads: os.environ.get("X"), os.environ["X"],
    os.getenv("X") and the file's env_bool("X") / env_list("X")."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        key = None
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value):
                key = node.args[0].value
            elif isinstance(func, ast.Attribute) and func.attr == "getenv" and getattr(func.value, "id", "") == "os":
                key = node.args[0].value
            elif isinstance(func, ast.Name) and func.id in ENV_HELPERS:
                key = node.args[0].value
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
        if isinstance(key, str):
            names.add(key)
    return names


def documented(readme):
    """The variables in the first column of the README's table under "## Configuration"."""
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_the_parsers_see_what_they_should_so_that_the_next_test_can_fail():
    source = ('import os\nA = os.environ.get("ONE")\nB = os.environ["TWO"]\n'
              'C = env_bool("THREE")\nD = env_list("FOUR")\n')
    assert env_reads(source) == {"ONE", "TWO", "THREE", "FOUR"}
    readme = "## Configuration\n\n| variable | d |\n|---|---|\n| `ONE`, `TWO` | `NOT_THIS` |\n\n## Next\n| `FIVE` |\n"
    assert documented(readme) == {"ONE", "TWO"}


def test_every_environment_variable_settings_reads_is_in_the_readme_table():
    read = env_reads(SETTINGS.read_text())
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL"} <= read  # the parser found the file's reads
    missing = read - documented(README.read_text())
    assert not missing, f"environment variables read by volnet/settings.py but not in README's table: {missing}"


def handed_to_children(sources):
    """Variables a tool sets for the processes it starts (a `"NAME": value` key of a child's environment, as
    bench/loadtest.py hands its locust workers their targets and files): no person sets them."""
    return {name for source in sources for name in re.findall(r'"([A-Z][A-Z0-9_]+)":', source)}


def test_every_environment_variable_the_tools_and_tests_read_is_in_the_readme():
    files = [*sorted((ROOT / "bench").rglob("*.py")), ROOT / "conftest.py", *_code_files()]
    read = {name: path for path in files for name in env_reads(path.read_text())}
    assert {"BENCH_PG_URL", "HYPOTHESIS_PROFILE"} <= set(read)
    internal = handed_to_children(path.read_text() for path in (ROOT / "bench").rglob("*.py")) | {"RUN_MAIN"}
    assert "LOAD_HOSTS" in internal and "BENCH_PG_URL" not in internal  # RUN_MAIN: Django's autoreloader's own
    missing = {name: str(path.relative_to(ROOT)) for name, path in read.items()
               if name not in documented(README.read_text()) | internal}
    assert not missing, f"environment variables read but not in README's Configuration tables: {missing}"


def _code_files():
    for path in sorted((ROOT / "volnet").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("settings"):
            continue
        yield path


def test_no_setting_is_read_with_a_default_of_its_own():
    """getattr(settings, "X", default) hides a setting from settings.py and lets two places disagree on it."""
    found = []
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and len(node.args) == 3
                    and getattr(node.args[0], "id", "") == "settings"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found


def test_every_setting_the_code_reads_is_declared():
    read = {}
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "settings"
                    and node.attr.isupper()):
                read.setdefault(node.attr, f"{path.relative_to(ROOT)}:{node.lineno}")
    assert {"SITE_URL", "VOLNET_IMPORT_TTL"} <= set(read)
    undeclared = {name: where for name, where in read.items() if not hasattr(settings, name)}
    assert not undeclared


def _module_level_reads(tree):
    """Lines that read `settings.X` when the module is imported: outside every function body."""
    lines = []

    def visit(node, in_function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator, in_function)
            for default in node.args.defaults + node.args.kw_defaults:
                if default is not None:
                    visit(default, in_function)
            in_function = True
            children = node.body if isinstance(node.body, list) else [node.body]
        else:
            children = list(ast.iter_child_nodes(node))
        if (not in_function and isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "settings"
                and node.attr.isupper() and node.attr != "AUTH_USER_MODEL"):
            lines.append(node.lineno)
        for child in children:
            visit(child, in_function)

    visit(tree, False)
    return lines


def test_no_setting_is_read_when_a_module_is_imported():
    """A setting read at import time ignores a test's override and the order settings load in. Exempt: the
    user model (Django's models need it then) and the URLconf's DEBUG- and bench-only addresses."""
    assert _module_level_reads(ast.parse("from django.conf import settings\nX = settings.DEBUG\n")) == [2]
    assert _module_level_reads(ast.parse("def f():\n    return settings.DEBUG\n")) == []
    found = [f"{path.relative_to(ROOT)}:{line}" for path in _code_files() if path.name != "urls.py"
             for line in _module_level_reads(ast.parse(path.read_text()))]
    assert not found


def test_hypothesis_runs_without_a_deadline_that_a_busy_machine_would_break():
    from hypothesis import settings as hypothesis_settings

    assert hypothesis_settings.default.deadline is None
