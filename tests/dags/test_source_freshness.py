"""The nightly's `freshness` task: a source past its `warn_after` is a warning (log and alert file), never a
failure; a fresh source leaves no alert. dbt runs for real on a warehouse holding only `raw.submissions`."""

from __future__ import annotations

import json

import duckdb

from bdg import tasks


def _warehouse(path, days_since_last_load: int):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw")
        con.execute("create or replace table raw.submissions (file_sha256 varchar, loaded_at timestamptz)")
        con.execute("insert into raw.submissions values ('x', now() - to_days(?))", [days_since_last_load])
    return path


def test_a_stale_source_is_a_warning_and_a_fresh_one_is_silent(tmp_path, monkeypatch):
    monkeypatch.setenv("BDG_WAREHOUSE", str(_warehouse(tmp_path / "bdg.duckdb", days_since_last_load=30)))
    monkeypatch.setenv("BDG_OUT_DIR", str(tmp_path / "out"))

    stale = tasks.source_freshness("2026-12-21")  # must not raise: the night goes on

    assert [source["source"] for source in stale["stale"]] == ["raw.submissions"]
    assert stale["stale"][0]["status"] == "warn"
    alert = json.loads((tmp_path / "out" / "alerts" / "2026-12-21__source_freshness.json").read_text("utf-8"))
    assert alert["stale_sources"][0]["age_seconds"] > 29 * 86400

    (tmp_path / "out" / "alerts" / "2026-12-21__source_freshness.json").unlink()
    _warehouse(tmp_path / "bdg.duckdb", days_since_last_load=0)
    assert tasks.source_freshness("2026-12-21")["stale"] == []
    assert not any((tmp_path / "out" / "alerts").iterdir())
