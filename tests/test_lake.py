"""The warehouse on a DuckLake (DESIGN "Where the warehouse lives"): its catalog in a fresh database of the
local PostgreSQL (dropped after), its data files in a folder. Four provinces' inboxes ingested by four
concurrent `bdg ingest` processes, then transform, check and report, give marts equal row for row to the
same four inboxes loaded one after another into an embedded file; two writers of the same province at
once both finish, and nothing is recorded twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ingest.warehouse import connect, is_lake
from sample.generate import generate_inbox
from tests.deploy.postgres import admin_sql, postgres_up, require

AS_OF = "31/12/2026"
BDG = str(Path(sys.executable).parent / "bdg")
# columns that say when a row was written, not what it says
RUN_TIME_COLUMNS = {"loaded_at", "built_at", "run_at", "checked_at"}


@pytest.fixture(scope="module")
def provinces(tmp_path_factory) -> tuple[Path, list[Path]]:
    """A generated four-province year split into one inbox per province, and the national reference."""
    root = tmp_path_factory.mktemp("national")
    generated = root / "generated"
    generate_inbox(generated, provinces=4, units_per_province=10, year=2026, report_type="NAM", seed=7)
    manifest = json.loads((generated / "_manifest.json").read_text(encoding="utf-8"))
    owner = {entry["file"]: unit["province_code"] for unit in manifest["units"] for entry in unit["files"]}
    codes = [province["province_code"] for province in manifest["provinces"]]
    inboxes = [root / f"inbox_{code}" for code in codes]
    for inbox in inboxes:
        inbox.mkdir()
        shutil.copy(generated / "_received.csv", inbox / "_received.csv")
    for path in generated.iterdir():
        if path.is_file() and not path.name.startswith("_"):
            target = inboxes[codes.index(owner[path.name])] if path.name in owner else inboxes[0]
            shutil.copy2(path, target / path.name)
    assert all(any(inbox.glob("*.xlsx")) for inbox in inboxes)
    return generated / "_reference", inboxes


@pytest.fixture
def lake(tmp_path) -> dict[str, str]:
    """A fresh lake: a new PostgreSQL database as its catalog, a folder for its data; dropped after."""
    require(postgres_up(), "PostgreSQL is not running on 127.0.0.1:5432")
    name = f"bdg_lake_{uuid.uuid4().hex[:10]}"
    admin_sql(f"create database {name}")
    try:
        yield {
            "BDG_WAREHOUSE": f"ducklake:postgres:dbname={name} host=127.0.0.1 user=postgres",
            "BDG_LAKE_DATA_PATH": str(tmp_path / "lake_data") + "/",
        }
    finally:
        admin_sql(f"drop database if exists {name} with (force)")


def bdg(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [BDG, *args], cwd=cwd, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output
    return output


def ingest(inbox: Path, reference: Path, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return bdg("ingest", "--inbox", str(inbox), "--reference", str(reference), "--out", str(cwd / "out"),
               env=env, cwd=cwd)  # fmt: skip


def build(env: dict[str, str], cwd: Path) -> None:
    """transform, check and the provincial report, as an operator runs them after the ingests."""
    finish(bdg("transform", "--as-of", AS_OF, env=env, cwd=cwd))
    finish(bdg("check", "--as-of", AS_OF, "--out", str(cwd / "out"), env=env, cwd=cwd))
    finish(bdg("report", "--year", "2026", "--period", "NAM", "--as-of", AS_OF, "--out", str(cwd / "out"),
               env=env, cwd=cwd))  # fmt: skip


def marts(warehouse: str) -> dict[str, list[tuple]]:
    """Every table of the marts schema, its rows sorted, the run-time columns left out."""
    tables = {}
    with connect(warehouse, read_only=True) as con:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_catalog = current_database() order by 1"
        ).fetchall()]  # fmt: skip
        for table in names:
            columns = [row[0] for row in con.execute(f"describe marts.{table}").fetchall()]
            kept = ", ".join(f'"{column}"' for column in columns if column not in RUN_TIME_COLUMNS)
            tables[table] = sorted(con.execute(f"select {kept} from marts.{table}").fetchall(), key=repr)
    return tables


def recorded_twice(warehouse: str) -> int:
    with connect(warehouse, read_only=True) as con:
        return con.execute(
            "select count(*) from (select file_sha256, file_name from raw.submissions group by all having count(*) > 1)"
        ).fetchone()[0]


def test_four_provinces_at_once_on_a_lake_equal_one_after_another_in_a_file(provinces, lake, tmp_path):
    reference, inboxes = provinces
    assert is_lake(lake["BDG_WAREHOUSE"])
    lake_dir, file_dir = tmp_path / "lake_run", tmp_path / "file_run"
    lake_dir.mkdir()
    file_dir.mkdir()

    for process in [ingest(inbox, reference, lake, lake_dir) for inbox in inboxes]:  # four writers at once
        finish(process)
    build(lake, lake_dir)

    embedded = {"BDG_WAREHOUSE": str(file_dir / "bdg.duckdb")}
    for inbox in inboxes:  # the embedded file: one writer, one province after another
        finish(ingest(inbox, reference, embedded, file_dir))
    build(embedded, file_dir)

    on_lake, in_file = marts(lake["BDG_WAREHOUSE"]), marts(embedded["BDG_WAREHOUSE"])
    assert set(on_lake) == set(in_file)
    assert {"rpt_ministry_annual", "rpt_reporting_status", "fct_activities"} <= set(on_lake)
    for table, rows in in_file.items():
        assert on_lake[table] == rows, table
    assert sum(len(rows) for rows in on_lake.values()) > 1000
    assert recorded_twice(lake["BDG_WAREHOUSE"]) == 0
    assert (lake_dir / "out" / "bao_cao_bdg_2026_NAM.xlsx").is_file()
    # the data files are in the lake's data path, not beside the catalog
    assert any(Path(lake["BDG_LAKE_DATA_PATH"]).rglob("*.parquet"))


def test_two_writers_of_one_province_at_once_both_finish_and_record_each_file_once(provinces, lake, tmp_path):
    reference, inboxes = provinces
    inbox = inboxes[1]
    first, second = ingest(inbox, reference, lake, tmp_path), ingest(inbox, reference, lake, tmp_path)
    finish(first)
    finish(second)
    finish(ingest(inbox, reference, lake, tmp_path))  # the rerun converges: nothing new
    assert recorded_twice(lake["BDG_WAREHOUSE"]) == 0

    single = {"BDG_WAREHOUSE": str(tmp_path / "single.duckdb")}
    finish(ingest(inbox, reference, single, tmp_path))
    for env in (lake, single):
        finish(bdg("transform", "--as-of", AS_OF, env=env, cwd=tmp_path))
    on_lake, in_file = marts(lake["BDG_WAREHOUSE"]), marts(single["BDG_WAREHOUSE"])
    for table, rows in in_file.items():
        assert on_lake[table] == rows, table

    # the portal reads the lake through the same module: a province officer sees its units' status
    from fastapi.testclient import TestClient

    from ingest.warehouse import location
    from portal.accounts import Store
    from portal.app import create_app

    status = {row[0]: row for row in on_lake["rpt_reporting_status"]}
    province = next(iter(status))[: next(iter(status)).index("-")]
    portal_db = tmp_path / "portal.sqlite3"
    Store(portal_db).add("snv", "province", "mat-khau-thu-nghiem-01", province_code=province)
    app = create_app(location(lake["BDG_WAREHOUSE"]), inbox, reference, tmp_path / "out", portal_db)
    with TestClient(app, base_url="http://testserver") as client:
        response = client.get("/api/v1/status?year=2026&period=NAM", auth=("snv", "mat-khau-thu-nghiem-01"))
    assert response.status_code == 200, response.text
    seen = {unit["unit_code"]: unit["status"] for unit in response.json()["units"]}
    assert seen and set(seen) <= set(status)
