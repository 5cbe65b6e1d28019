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


def print_summary(result: dict, out: Path, console, store) -> None:
    """The demo's closing summary on `console`: the statuses in Vietnamese, a province and a unit account of
    the portal (added to `store`), the next commands to type on this warehouse, and last every output
    with its path."""
    import glob
    import json
    import re

    from rich.table import Table

    from ingest.reference import read_units
    from portal.accounts import generate_password

    warehouse = Path(result["warehouse"])
    status_file = next(iter(sorted((out / "status").glob("status_*.json"))), None)
    units = json.loads(status_file.read_text(encoding="utf-8"))["units"] if status_file else []
    labels = {unit["status"]: unit.get("status_name_vi") or unit["status"] for unit in units}
    counts = " · ".join(f"{labels.get(status, status)}: {n}" for status, n in sorted(result["status_counts"].items()))
    console.rule("[bold green]Xong")
    console.print(f"Tình hình báo cáo kỳ {result['period']}: {counts}")

    registry = read_units(Path(result["inbox"]) / "_reference")
    commune = next((u for u in registry if u.unit_kind in ("XA", "PHUONG")), registry[0])
    accounts = [("so_noi_vu", "province", None, commune.province_code), ("don_vi_mau", "unit", commune.unit_code, None)]
    inbox = Path(result["inbox"])
    console.print(
        f"Cổng báo cáo: BDG_INBOX={inbox} BDG_OUT_DIR={out} BDG_REFERENCE_DIR={inbox / '_reference'} "
        f"uv run bdg serve --warehouse {warehouse}  → mở http://127.0.0.1:8080/"
    )
    for login, role, unit, province in accounts:
        password = generate_password()
        store.add(login, role, password, unit_code=unit, province_code=province or commune.province_code)
        who = f"{commune.unit_name} ({unit})" if unit else f"Sở Nội vụ, tỉnh {province}"
        console.print(f"  tài khoản {login} ({who}), mật khẩu: {password}")
    year = re.search(r"\d{4}", str(result["period"]))
    console.print(
        f"Lệnh tiếp theo trên kho này: uv run bdg status --year {year.group() if year else ''} --period NAM "
        f"--warehouse {warehouse}"
    )

    def first(pattern: str) -> str:
        found = sorted(glob.glob(str(out / pattern))) or sorted(glob.glob(str(out / "du_thao" / pattern)))
        return found[0] if found else "(không có)"

    outputs = [
        ("Hộp thư mẫu", result["inbox"]),
        ("Kho dữ liệu", warehouse),
        ("Bảng tính gửi Bộ Nội vụ", first("bao_cao_bdg_*.xlsx")),
        ("Báo cáo HTML", first("bao_cao_bdg_*.html")),
        ("Dự thảo báo cáo (.docx)", first("du_thao_bao_cao_bdg_*.docx")),
        ("Danh sách đôn đốc", first("don_doc_bdg_*.xlsx")),
        ("Dự thảo công văn đôn đốc", first("cong_van_don_doc_bdg_*.docx")),
        ("Phiếu phản hồi tệp bị từ chối", out / "feedback"),
        ("Kết quả kiểm tra dữ liệu", first("data_docs/summary.html")),
    ]
    table = Table(show_header=False, box=None, pad_edge=False)
    for label, path in outputs:
        table.add_row(label, str(path))
    console.print(table)  # last: the outputs are what the reader looks for
