"""The house's rules, checked on the source: data flows one way between the stages, no import cycles,
no module too long to read, and the reports read only the report marts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "expectations", "report", "bdg", "sample", "portal")
# Which package may import which: ingest → (dbt) → expectations → report; bdg and sample are doors/tools;
# the portal is a door like bdg (it calls bdg's steps, the ingest engine and report's formatting).
MAY_IMPORT = {
    "ingest": {"ingest"},
    "expectations": {"ingest", "expectations"},
    "report": {"ingest", "expectations", "report"},
    "sample": {"ingest", "sample"},
    "bdg": set(PACKAGES),
    "portal": {"ingest", "report", "bdg", "portal"},
    "dags": {"bdg"},
}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for package in (*PACKAGES, "dags"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Project modules imported anywhere in the file (function-level imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & MODULES.keys()
            names |= submodules
            if len(submodules) < len(node.names):  # names defined in the module itself
                names.add(node.module)
    return {name for name in names if name in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_data_flows_one_way(module):
    package = module.split(".")[0]
    wrong = sorted(name for name in GRAPH[module] if name.split(".")[0] not in MAY_IMPORT[package])
    assert wrong == [], f"{module} imports downstream: {wrong}"


def test_no_import_cycles():
    # Tarjan's strongly connected components: any component with more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_600_lines(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


@pytest.mark.parametrize(
    "module", sorted(name for name in MODULES if name.split(".")[0] not in ("ingest", "expectations"))
)
def test_only_ingest_and_expectations_read_raw_staging_and_facts(module):
    source = MODULES[module].read_text(encoding="utf-8")
    reads = sorted(set(re.findall(r"\b(?:raw|staging)\.[a-z_]+|\bmarts\.fct_[a-z_]+", source)))
    assert reads == [], f"{module} reads {reads}: reports read the rpt_/dim_ marts"
