"""The architecture the README and docs/architecture.md describe is the one `make lint` enforces: every app of
the project sits in a layer of the import-linter contract, and both documents name it."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"demo"}  # outside the layers, imported by nothing (the tools-stay-apart contract)


def project_apps():
    names = {entry.split(".")[1] for entry in settings.INSTALLED_APPS if entry.startswith("volnet.")}
    return names - TOOLS


def layered_modules():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [layers] = [contract for contract in contracts if contract["id"] == "layers"]
    return {name.strip().split(".")[1] for layer in layers["layers"] for name in re.split(r"[|:]", layer)}


def test_every_app_sits_in_a_layer_of_the_contract():
    assert {"accounts", "records", "portal"} <= project_apps()
    assert project_apps() - layered_modules() == set()


def test_the_readme_table_names_every_layered_module():
    section = (ROOT / "README.md").read_text().split("\n## Architecture", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    missing = {name for name in layered_modules() - {"urls"} if f"`{name}`" not in table and f"| {name} |" not in table}
    assert not missing, f"README's architecture table does not name {missing}"


def test_the_architecture_diagram_names_every_layered_module():
    text = (ROOT / "docs" / "architecture.md").read_text()
    diagram = text.split("## The layers", 1)[1].split("```", 2)[1]
    words = set(re.findall(r"[a-z_]+", diagram))
    missing = layered_modules() - words
    assert not missing, f"docs/architecture.md's diagram does not name {missing}"


OUTSIDE = {"settings", "settings_test", "wsgi", "celery", "demo"}  # docs/architecture.md: "Outside the layers"


def test_every_module_of_the_project_is_layered_or_named_outside_the_layers():
    """Not only the installed apps: a new top-level module (a kit helper like staffweb.py) belongs somewhere."""
    volnet = ROOT / "volnet"
    found = {path.stem for path in volnet.glob("*.py") if path.stem != "__init__"}
    found |= {path.name for path in volnet.iterdir() if (path / "__init__.py").exists()} - {"tests"}
    assert {"staffweb", "accounts", "lib"} <= found
    assert found - layered_modules() - OUTSIDE == set()
    outside = (ROOT / "docs" / "architecture.md").read_text().split("Outside the layers:", 1)[1].split("\n\n")[0]
    assert all(f"volnet.{name}" in outside for name in OUTSIDE)


def test_the_contracts_table_names_every_contract():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    table = (ROOT / "docs" / "architecture.md").read_text().split("## The contracts", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M))
    assert named == {contract["id"] for contract in contracts}


def test_the_forbidden_contracts_rows_name_the_apps_they_bind():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    table = (ROOT / "docs" / "architecture.md").read_text().split("## The contracts", 1)[1].split("\n## ", 1)[0]
    rows = {match[1]: match[2] for match in re.finditer(r"^\| `([a-z-]+)` \|(.*)$", table, re.M)}
    for contract in contracts:
        if contract["id"] in ("domain-no-faces", "features-no-faces"):
            row = rows[contract["id"]]
            missing = {name for name in contract["source_modules"] if f"`{name.split('.')[1]}`" not in row}
            assert not missing, f"docs/architecture.md's {contract['id']} row does not name {missing}"
