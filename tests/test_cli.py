"""The `bdg` commands as a user runs them: exit codes, files written, JSON summaries."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bdg.cli import app
from ingest.parse import parse_workbook

runner = CliRunner()


def test_template_writes_a_prefilled_form_the_parser_accepts(tmp_path):
    out = tmp_path / "mau.xlsx"
    result = runner.invoke(
        app, ["template", "--unit", "24-XA001", "--year", "2026", "--period", "6T", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    parsed = parse_workbook(out)
    assert parsed.errors == []
    assert parsed.meta["unit_code"] == "24-XA001"
    assert (parsed.meta["report_year"], parsed.meta["report_type"], parsed.meta["form_version"]) == (
        2026,
        "6T",
        "BDG-1",
    )
    assert parsed.tables["activities"] == []


def test_template_for_an_unknown_unit_is_refused(tmp_path):
    result = runner.invoke(
        app, ["template", "--unit", "XX-0", "--year", "2026", "--period", "NAM", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_generate_then_ingest_json_exits_zero_with_rejections(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "bdg.duckdb"
    generated = runner.invoke(
        app,
        ["generate", "--out", str(inbox), "--units-per-province", "14", "--bad-rate", "0.25", "--late-rate", "0.2",
         "--missing-rate", "0.1", "--seed", "14"],
    )  # fmt: skip
    assert generated.exit_code == 0, generated.output
    manifest = json.loads((inbox / "_manifest.json").read_text(encoding="utf-8"))
    written = [f for unit in manifest["units"] for f in unit["files"]]

    result = runner.invoke(
        app,
        [
            "ingest",
            "--inbox",
            str(inbox),
            "--json",
            "--warehouse",
            str(warehouse),
            "--reference",
            str(inbox / "_reference"),
        ],
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["files_seen"] == len(written)
    assert summary["counts"]["rejected"] == sum(f["kind"] != "ok" for f in written) > 0
    rejected = [f for f in summary["files"] if f["status"] == "rejected"]
    assert all(error["message_vi"] for f in rejected for error in f["errors"])

    again = runner.invoke(
        app,
        [
            "ingest",
            "--inbox",
            str(inbox),
            "--json",
            "--warehouse",
            str(warehouse),
            "--reference",
            str(inbox / "_reference"),
        ],
    )
    assert json.loads(again.output)["skipped_known"] == len(written)
