"""Follows docs/adding-a-source.md literally: executes its blocks, in order, for its tiny new source."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import duckdb
import yaml

from bdg import settings
from bdg.transform import run_dbt
from ingest import form_bdg1, sources
from ingest.load import connect
from ingest.parse import parse_workbook
from ingest.source_import import import_file
from tests.ingest.formats import write_sheets

DOC = settings.PROJECT_ROOT / "docs" / "adding-a-source.md"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def _blocks() -> dict[str, str]:
    """The doc's code blocks keyed by their first line (the file they belong to)."""
    found = {}
    for _, body in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        first, _, rest = body.partition("\n")
        found[first.lstrip("#- ").strip()] = rest
    return found


def test_the_recipe_works_as_written(tmp_path, monkeypatch):
    blocks = _blocks()

    # 1. The entry (into a copy of the registry, so the real one is untouched).
    namespace = {**vars(form_bdg1), **vars(sources), "SOURCES": dict(sources.SOURCES)}
    exec(blocks["ingest/sources.py"], namespace)
    source = namespace["GBV_MODELS"]
    assert namespace["SOURCES"]["gbv_models"] is source
    warehouse = tmp_path / "bdg.duckdb"
    con = connect(warehouse)
    con.execute(blocks["ingest/schema.py (RAW_DDL)"])
    con.close()

    # 3 + 4. The fixture and the test, run as written.
    test_namespace = {"write_sheets": write_sheets, "parse_workbook": parse_workbook, "GBV_MODELS": source}
    exec(blocks["tests/ingest/test_source_gbv_models.py (fixture)"], test_namespace)
    exec(blocks["tests/ingest/test_source_gbv_models.py (test)"], test_namespace)
    test_namespace["test_gbv_models_source"](tmp_path)
    fixture = test_namespace["gbv_models_workbook"](tmp_path / "mo hinh.xlsx")
    assert import_file(warehouse, fixture, source).errors == []
    assert import_file(warehouse, fixture, source).errors == []  # re-importing the same file replaces it

    # 2. The staging model, in a copy of the dbt project, built by dbt with its tests.
    project = tmp_path / "dbt_project"
    shutil.copytree(settings.dbt_project_dir(), project, ignore=shutil.ignore_patterns("target", "logs"))
    staging = project / "models" / "staging" / "raw"
    sources_yml = yaml.safe_load((staging / "__sources.yml").read_text(encoding="utf-8"))
    sources_yml["sources"][0]["tables"].extend(
        yaml.safe_load(blocks["dbt_project/models/staging/raw/__sources.yml (under tables:)"])
    )
    (staging / "__sources.yml").write_text(yaml.safe_dump(sources_yml, allow_unicode=True), encoding="utf-8")
    for name in ("stg_raw__gbv_models.sql", "stg_raw__gbv_models.yml"):
        (staging / name).write_text(blocks[f"dbt_project/models/staging/raw/{name}"], encoding="utf-8")
    monkeypatch.setenv("BDG_DBT_PROJECT_DIR", str(project))
    run_dbt(["build", "--select", "stg_raw__gbv_models"], warehouse, dt.date(2026, 12, 1), work_dir=tmp_path / "dbt")

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select model_name, model_kind_code, members from staging.stg_raw__gbv_models order by source_row"
        ).fetchall()
    assert rows == [("CLB Gia đình hạnh phúc", "CLB", 25), ("Địa chỉ tin cậy thôn Đông", "DIA_CHI_TIN_CAY", 6)]
