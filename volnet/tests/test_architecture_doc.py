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
