"""An `error` finding blocks publishing: the ministry report is written as a draft, not published."""

from __future__ import annotations

import datetime as dt

from bdg.steps import DRAFT_DIR, run_pipeline
from ingest.form_writer import FormContent, write_form
from sample.generate import generate_inbox


def test_error_findings_hold_the_report_back_as_a_draft(tmp_path):
    generated = generate_inbox(tmp_path / "inbox", provinces=1, units_per_province=10, seed=11, bad_rate=0)
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

    result = run_pipeline(generated.out_dir, tmp_path / "out", tmp_path / "bdg.duckdb", generated.reference_dir,
                          dt.date(2026, 12, 21))  # fmt: skip

    assert result.checks["publishable"] is False
    assert any(f["severity"] == "error" and f["unit_code"] == unit["unit_code"] for f in result.checks["findings"])
    assert result.report_path.parent == tmp_path / "out" / DRAFT_DIR
    assert not list((tmp_path / "out").glob("bao_cao_bdg_*.xlsx"))
