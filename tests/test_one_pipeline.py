"""`bdg run` and the `bdg_nightly` DAG are one pipeline: driven over the same inbox, in which one unit's
resubmission plants an `error` finding (more female participants than participants), both hold the
ministry report back as a draft in `du_thao/` and write the same status file, chase list, letter,
feedback workbooks and reports, cell for cell."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from openpyxl import load_workbook

from bdg import airflow_local
from bdg.steps import DRAFT_DIR, run_pipeline
from ingest.form_writer import FormContent, write_form
from sample.generate import generate_inbox

AS_OF = dt.date(2026, 12, 21)
# Run-specific by nature: the Airflow home, the dbt work folder, the Data Docs (one page per check run).
RUN_SPECIFIC = ("airflow", "dbt", "data_docs", "staging", "alerts")


def _plant_error(generated) -> str:
    unit = next(u for u in generated.manifest["units"] if u["expected_status"] == "on_time")
    wrong = FormContent(
        activities=[
            {
                "activity_type_code": "TAP_HUAN",
                "programme_code": "CHIEN_LUOC",
                "activity_name": "Tập huấn",
                "activity_date": dt.date(2026, 3, 4),
                "quantity": 1,
                "participants_total": 50,
                "participants_female": 80,
                "participants_male": 20,
            }
        ],  # fmt: skip
        leadership=[{"position_group_code": "CHU_CHOT", "leaders_total": 3, "leaders_female": 1}],
    )
    write_form(generated.out_dir / "gui lai.xlsx", unit["unit_code"], unit["unit_name"], 2026, "NAM", wrong)
    with (generated.out_dir / "_received.csv").open("a", encoding="utf-8") as listing:
        listing.write("gui lai.xlsx,2026-11-29T10:00:00+07:00\n")
    return unit["unit_code"]


def _outputs(out) -> dict[str, object]:
    """Relative path → comparable content: cell values of workbooks, JSON documents, other files' bytes."""
    found = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if not path.is_file() or relative.parts[0] in RUN_SPECIFIC:
            continue
        if path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            found[str(relative)] = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
            book.close()
        elif path.suffix == ".json":
            found[str(relative)] = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".docx":
            from docx import Document

            found[str(relative)] = [paragraph.text for paragraph in Document(str(path)).paragraphs]
        else:
            found[str(relative)] = path.read_bytes()
    return found


def test_bdg_run_and_the_nightly_dag_hold_back_and_write_the_same(airflow_db, tmp_path, monkeypatch):
    generated = generate_inbox(tmp_path / "inbox", provinces=1, units_per_province=10, seed=11, bad_rate=0.2)
    planted_unit = _plant_error(generated)
    dag_inbox = tmp_path / "dag_inbox"
    shutil.copytree(generated.out_dir, dag_inbox, copy_function=shutil.copy2)  # same bytes and mtimes

    run_out = tmp_path / "run_out"
    result = run_pipeline(generated.out_dir, run_out, tmp_path / "run.duckdb", generated.reference_dir, AS_OF)

    dag_out = tmp_path / "dag_out"
    monkeypatch.setenv("BDG_INBOX", str(dag_inbox))
    monkeypatch.setenv("BDG_OUT_DIR", str(dag_out))
    monkeypatch.setenv("BDG_WAREHOUSE", str(tmp_path / "dag.duckdb"))
    monkeypatch.setenv("BDG_REFERENCE_DIR", str(dag_inbox / "_reference"))
    monkeypatch.setenv("BDG_PARSE_BATCH_FILES", "4")
    assert airflow_local.run_dag("bdg_nightly", {"as_of_date": AS_OF.isoformat()}) == "success"

    assert result.checks["publishable"] is False
    assert any(f["severity"] == "error" and f["unit_code"] == planted_unit for f in result.checks["findings"])
    for out in (run_out, dag_out):
        assert not list(out.glob("bao_cao_bdg_*")), f"{out.name}: a report was published despite an error finding"
        drafts = {path.name for path in (out / DRAFT_DIR).iterdir()}
        assert drafts == {"bao_cao_bdg_2026_NAM.xlsx", "bao_cao_bdg_2026_NAM.html", "du_thao_bao_cao_bdg_2026_NAM.docx"}
    assert result.report_path.parent == run_out / DRAFT_DIR

    from_run, from_dag = _outputs(run_out), _outputs(dag_out)
    assert sorted(from_run) == sorted(from_dag)
    assert any(name.startswith("status/") for name in from_run) and any("feedback" in name for name in from_run)
    for name in from_run:
        if name.endswith(".html"):
            continue  # chart SVG ids are random per drawing; the HTML figures are tested in tests/reports
        assert from_run[name] == from_dag[name], f"{name} differs between bdg run and the DAG"
