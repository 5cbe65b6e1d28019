"""`bdg demo`: a sample province's inbox through the real nightly DAG, everything under one folder."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from bdg import settings
from bdg.steps import DRAFT_DIR, STATUS_DIR


def demo_period(today: dt.date) -> tuple[int, dt.date]:
    """The annual cycle in progress (or just closed) and an as-of date after its last late arrivals.

    The generator sends late files up to 20 days after the due date (30/11), so the demo evaluates the
    cycle as of 21/12: every on-time, late, missing and rejected case is visible.
    """
    year, _ = settings.period_of(today)
    return year, dt.date(year, 12, 21)


def run_demo(out: Path, as_of: dt.date | None = None) -> dict:
    """Generate an inbox, run `bdg_nightly` through Airflow's dag.test(), return where things are."""
    from bdg import airflow_local
    from sample.generate import generate_inbox

    year, default_as_of = demo_period(settings.local_today())
    as_of = as_of or default_as_of
    inbox, warehouse = out / "inbox", out / "bdg.duckdb"
    for stale in (inbox, warehouse, out / "airflow"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    generate_inbox(inbox, provinces=1, year=year, report_type="NAM", seed=42)
    reference = inbox / "_reference"

    airflow_local.configure(
        out / "airflow",
        {"BDG_INBOX": inbox, "BDG_OUT_DIR": out, "BDG_WAREHOUSE": warehouse, "BDG_REFERENCE_DIR": reference},
    )
    airflow_local.migrate()
    state = airflow_local.run_dag("bdg_nightly", {"as_of_date": as_of.isoformat()})
    if state != "success":
        raise RuntimeError(f"bdg_nightly kết thúc với trạng thái {state}; xem log trong {out / 'airflow'}")

    # The nightly's publish step wrote the period's status; the demo reports what it says.
    status = json.loads((out / STATUS_DIR / f"status_{year}_NAM.json").read_text(encoding="utf-8"))
    counts = status["counts"]
    report = out / f"bao_cao_bdg_{year}_NAM.xlsx"
    if not report.exists():  # held back as a draft by error findings
        report = out / DRAFT_DIR / report.name
    return {
        "inbox": inbox,
        "warehouse": warehouse,
        "report": report,
        "period": f"NAM {year}, tính đến {as_of:%d/%m/%Y}",
        "status_counts": counts,
    }
