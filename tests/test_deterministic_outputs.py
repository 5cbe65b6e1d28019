"""`bdg run` twice on the same inbox gives byte-identical outputs: the ministry workbook, the HTML report,
the narrative, the chase list, the letter, the status file, the feedback workbooks and the exports.

The inbox is hostile on purpose: a unit's registry name is a formula wrapped in markup, bidi overrides and
control characters, and a rejected file's name holds an escape and a right-to-left override (such a name
used to stop the letter writer, and with it `bdg chase`, the nightly publish step and the reminders DAG).
The second run goes into the same warehouse (the nightly re-run: dbt rebuilds every mart; no file is
new, so no feedback is written), a third into a fresh one (everything but the exports, whose load times
are the warehouse's own).
"""

from __future__ import annotations

import csv
import datetime as dt

import docx
import openpyxl
import pytest

from bdg.steps import run_pipeline
from report.export import export_marts
from sample.generate import generate_inbox

AS_OF = dt.date(2026, 12, 21)
HOSTILE_NAME = '<b>=HYPERLINK("http://x","y")</b>\u202e\x1b[31m\x07'
CLEAN_NAME = '<b>=HYPERLINK("http://x","y")</b>[31m'
HOSTILE_FILE = "bao cao\x1b[2J\u202excod.xlsx"
CLEAN_FILE = "bao cao[2Jxcod.xlsx"
# Written per run by design: the Airflow home, dbt's work folder, Data Docs (one page per check run).
RUN_SPECIFIC = ("dbt", "data_docs", "staging", "alerts", "airflow")
FORBIDDEN = ("\x1b", "\x07", "\u202e")


def _plant(generated) -> str:
    """A hostile registry name for a unit the chase list names, and a rejected file with a hostile name."""
    chased = next(u for u in generated.manifest["units"] if u["expected_status"] in ("missing", "late", "rejected"))
    path = generated.reference_dir / "units.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    next(row for row in rows if row["unit_code"] == chased["unit_code"])["unit_name"] = HOSTILE_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (generated.out_dir / HOSTILE_FILE).write_bytes(b"not a workbook")
    with (generated.out_dir / "_received.csv").open("a", encoding="utf-8", newline="") as listing:
        csv.writer(listing).writerow([HOSTILE_FILE, "2026-11-25T08:00:00+07:00"])
    return chased["unit_code"]


def _files(out):
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).parts[0] not in RUN_SPECIFIC
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("deterministic")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=8, year=2026, late_rate=0.2, missing_rate=0.2,
        bad_rate=0.25, seed=7,
    )  # fmt: skip
    unit_code = _plant(generated)
    outs = {}
    for name, warehouse in (("first", "bdg.duckdb"), ("again", "bdg.duckdb"), ("fresh", "fresh.duckdb")):
        out = root / name
        run_pipeline(generated.out_dir, out, root / warehouse, generated.reference_dir, AS_OF)
        if name != "fresh":
            for fmt in ("xlsx", "csv", "parquet"):
                export_marts(root / warehouse, 2026, "NAM", fmt, out / "export")
        outs[name] = out
    return outs, unit_code


def test_bdg_run_twice_writes_byte_identical_outputs(runs):
    outs, _ = runs
    first, again, fresh = (_files(outs[name]) for name in ("first", "again", "fresh"))
    names = set(first)
    assert any(name.endswith(".html") for name in names) and any("feedback" in name for name in names)
    assert any(name.startswith("cong_van_don_doc") for name in names)
    assert any(name.startswith("export/bdg_marts_2026_NAM_csv/") for name in names)
    # the re-run loads no file, so it writes no feedback; the fresh run does
    assert set(again) == {name for name in first if not name.startswith("feedback/")}
    assert [name for name in again if first[name] != again[name]] == []
    reports = {name for name in first if not name.startswith("export/")}
    assert reports == set(fresh)
    assert [name for name in reports if first[name] != fresh[name]] == []


def test_hostile_names_reach_the_outputs_clean_and_as_text(runs):
    outs, unit_code = runs
    out = outs["first"]
    workbooks = [path for path in out.rglob("*.xlsx") if "export" not in path.parts and "feedback" not in path.parts]
    workbooks += [out / "export" / "bdg_marts_2026_NAM.xlsx"]
    seen = set()
    for path in workbooks:
        for sheet in openpyxl.load_workbook(path, data_only=False):
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and (CLEAN_NAME in cell.value or CLEAN_FILE in cell.value):
                        assert cell.data_type == "s", (path.name, cell.coordinate)
                        seen.add(path.name)
                    assert not (isinstance(cell.value, str) and any(ch in cell.value for ch in FORBIDDEN))
    assert {"don_doc_bdg_2026_NAM.xlsx", "bdg_marts_2026_NAM.xlsx"} <= seen

    (letter,) = out.glob("cong_van_don_doc_*.docx")
    document = docx.Document(str(letter))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert CLEAN_NAME in text and CLEAN_FILE in text
    assert not any(ch in text for ch in FORBIDDEN)

    for path in out.rglob("*"):
        if path.suffix in (".html", ".csv") and path.relative_to(out).parts[0] not in RUN_SPECIFIC:
            content = path.read_text(encoding="utf-8-sig")
            assert not any(ch in content for ch in ("\x1b", "\x07", "\u202e", "\x00")), path.name
    html = next(out.rglob("bao_cao_bdg_2026_NAM.html")).read_text(encoding="utf-8")
    assert "<b>=HYPERLINK" not in html  # escaped: markup from the registry prints as text
    status = next(out.rglob("status_2026_NAM.json")).read_text(encoding="utf-8")
    assert unit_code in status
