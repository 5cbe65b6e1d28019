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


def test_ingest_prints_a_page_of_rejections_and_counts_the_rest(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "bdg.duckdb"
    generated = runner.invoke(
        app, ["generate", "--out", str(inbox), "--units-per-province", "3", "--bad-rate", "0", "--seed", "3"]
    )
    assert generated.exit_code == 0, generated.output
    for number in range(35):  # one error each: 35 rows, more than a terminal page
        (inbox / f"ghi_chu_{number:02}.xlsx").write_text(f"ghi chú số {number}, không phải bảng tính", encoding="utf-8")

    result = runner.invoke(
        app,
        ["ingest", "--inbox", str(inbox), "--warehouse", str(warehouse), "--reference", str(inbox / "_reference"),
         "--out", str(tmp_path / "out")],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())  # the terminal wraps long lines
    assert "bị từ chối: 35" in printed
    assert printed.count("UNREADABLE") == 30
    assert "… và 5 lỗi khác (5 tệp chưa liệt kê)." in printed
    assert "Phiếu phản hồi cho 35 tệp bị từ chối" in printed
    assert len(list((tmp_path / "out").rglob("phan_hoi__ghi_chu_*.xlsx"))) == 35
