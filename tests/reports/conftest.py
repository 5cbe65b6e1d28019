"""Two generated years of one province through the real pipeline, and the report outputs written from it.

2025 is ingested first so the 2026 report has a previous period to compare with; one unit's registry
name is a formula, to prove no output ever turns unit text into a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from bdg.steps import ingest_step, report_outputs, run_pipeline
from sample.generate import generate_inbox
from sample.strategy_reference import write_strategy_reference

YEAR, PERIOD = 2026, "NAM"
AS_OF = dt.date(2026, 12, 21)
INJECTED_NAME = '=HYPERLINK("http://example.invalid","Bấm vào đây")'


@dataclass
class Built:
    warehouse: Path
    out_dir: Path
    outputs: dict[str, Path]
    con: duckdb.DuckDBPyConnection
    injected_unit: str


def _inject_formula_name(reference_dir: Path) -> str:
    """Rename one commune in the registry to a formula; returns its code."""
    path = reference_dir / "units.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(row for row in rows if row["unit_kind"] == "XA" and not row["valid_to"])
    target["unit_name"] = INJECTED_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target["unit_code"]


@pytest.fixture(scope="package")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("report")
    rates = {"late_rate": 0.2, "missing_rate": 0.1, "bad_rate": 0.15}
    generate_inbox(root / "inbox25", units_per_province=24, year=2025, seed=5, **rates)
    g26 = generate_inbox(root / "inbox26", units_per_province=24, year=YEAR, seed=14, **rates)
    injected = _inject_formula_name(g26.reference_dir)
    write_strategy_reference(g26.reference_dir, "24", (2025,))  # the 2025 values too (the generator wrote 2026)
    warehouse = root / "bdg.duckdb"
    ingest_step(warehouse, root / "inbox25", g26.reference_dir)
    run_pipeline(root / "inbox26", root / "out", warehouse, g26.reference_dir, AS_OF)
    outputs = report_outputs(warehouse, YEAR, PERIOD, root / "out")
    con = duckdb.connect(str(warehouse), read_only=True)
    yield Built(warehouse, root / "out", outputs, con, injected)
    con.close()
