"""`bdg demo`: a sample province's inbox through the real nightly DAG, everything under one folder.

The inbox holds two years of reports (6-month and annual, so every Biểu has its «cùng kỳ năm trước»), a
planted flaw for each expectation suite (`sample.flaws`), and the province's plans of both years are
imported (Biểu 7). The nightly reports the annual period; the 6-month report is written by the step of
`bdg report`, into OUT/bao_cao_6_thang/."""

from __future__ import annotations

import datetime as dt
import json
import re
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


PLAN_FILE = settings.PROJECT_ROOT / "reference" / "plans" / "004_626a94decbac7e11.txt"  # the sample plan
PLAN_YEAR = 2026  # the year the sample plan was issued for
SIX_MONTH_DIR = "bao_cao_6_thang"  # OUT/bao_cao_6_thang/: the 6-month report and the Data Docs of its checks
PLANS_DIR = "ke_hoach"  # OUT/ke_hoach/: the plans the demo makes from the sample plan for other years


def demo_periods(year: int) -> tuple[tuple[int, str], ...]:
    """The periods the demo's inbox holds: last year's 6-month and annual reports (the «cùng kỳ năm trước»
    of this year's), this year's 6-month and annual reports; the last is the one the nightly reports on."""
    return ((year - 1, "6T"), (year - 1, "NAM"), (year, "6T"), (year, "NAM"))


def run_demo(out: Path, as_of: dt.date | None = None) -> dict:
    """Generate an inbox of the `demo_periods` with planted flaws, import the plans of the year and the
    year before, run `bdg_nightly` through Airflow's dag.test() (the annual report), then the 6-month
    report with the same step as `bdg report`; return where things are and whether the checks found each
    planted flaw.

    Failure modes: RuntimeError when the DAG run fails; the steps' own errors (TransformError, …).
    """
    from bdg import airflow_local
    from bdg.steps import period_report_step
    from ingest.plan_tasks import import_plan
    from ingest.reference import read_units
    from sample.flaws import plant_demo_flaws
    from sample.generate import generate_inbox

    year, default_as_of = demo_period(settings.local_today())
    as_of = as_of or default_as_of
    inbox, warehouse = out / "inbox", out / "bdg.duckdb"
    for stale in (inbox, warehouse, out / "airflow", out / SIX_MONTH_DIR, out / PLANS_DIR):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    *earlier, (_, report_type) = demo_periods(year)
    generated = generate_inbox(inbox, provinces=1, year=year, report_type=report_type, seed=42, earlier_periods=earlier)
    flaws = plant_demo_flaws(inbox, generated.manifest)
    reference = generated.reference_dir
    # the generator wrote the reference directory whole: units, calendar, targets, the Strategy's yearly file
    province = generated.manifest["provinces"][0]["province_code"]
    units = read_units(reference)
    plans = out / PLANS_DIR
    plans.mkdir(parents=True)
    import_plan(warehouse, sample_plan(year - 1, plans), province, year - 1, units)  # as `bdg plan import`
    plan = import_plan(warehouse, sample_plan(year, plans), province, year, units)

    airflow_local.configure(
        out / "airflow",
        {"BDG_INBOX": inbox, "BDG_OUT_DIR": out, "BDG_WAREHOUSE": warehouse, "BDG_REFERENCE_DIR": reference},
    )
    airflow_local.migrate()
    state = airflow_local.run_dag("bdg_nightly", {"as_of_date": as_of.isoformat()})
    if state != "success":
        raise RuntimeError(f"bdg_nightly kết thúc với trạng thái {state}; xem log trong {out / 'airflow'}")
    # The nightly reports the period in progress (the annual one); the 6-month report of the same year is
    # the step `bdg report --period 6T` runs, on the marts the nightly built for the same as-of date.
    six_month = period_report_step(warehouse, year, "6T", as_of, out / SIX_MONTH_DIR)

    # The nightly's publish step wrote the period's status; the demo reports what it says.
    status = json.loads((out / STATUS_DIR / f"status_{year}_{report_type}.json").read_text(encoding="utf-8"))
    report = out / f"bao_cao_bdg_{year}_{report_type}.xlsx"
    if not report.exists():  # held back as a draft by error findings
        report = out / DRAFT_DIR / report.name
    return {
        "inbox": inbox,
        "warehouse": warehouse,
        "year": year,
        "report": report,
        "six_month_report": Path(six_month["workbook"]),
        "six_month_published": six_month["publishable"],
        "periods": [f"{kind} {period_year}" for period_year, kind in demo_periods(year)],
        "period": f"{report_type} {year}, tính đến {as_of:%d/%m/%Y}",
        "status_counts": status["counts"],
        "plan_tasks": len(plan.tasks),
        "flaws": [(flaw, found) for flaw, found in zip(flaws, flaws_found(warehouse, year, flaws), strict=True)],
    }


def sample_plan(year: int, out_dir: Path) -> Path:
    """The sample plan (issued for `PLAN_YEAR`) as the province's plan of `year`: its deadlines («tháng
    4/2026», «năm 2026») moved to that year, the 2026–2030 programme names kept; written to `out_dir`
    unless `year` is its own. The demo imports it for the year and the year before (Biểu 7 compares a
    task with the same task of the previous year's plan)."""
    if year == PLAN_YEAR:
        return PLAN_FILE
    text = PLAN_FILE.read_text(encoding="utf-8")
    text = re.sub(rf"(?<=/){PLAN_YEAR}\b", str(year), text)  # 4/2026, 20/3/2026
    text = re.sub(rf"(?<=năm ){PLAN_YEAR}\b(?!\s*[-–])", str(year), text)  # năm 2026, not 2026-2030
    path = out_dir / f"ke_hoach_{year}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def flaws_found(warehouse: Path, year: int, flaws) -> list[bool]:
    """Per planted flaw: did the last check run of the year's annual report (the nightly's) name its unit
    with its expectation (`dq.results`)?"""
    from ingest.warehouse import connect

    with connect(warehouse, read_only=True) as con:
        found = set(
            con.execute(
                """
                select suite, expectation, unit_code from dq.results
                where not success and run_id = (
                    -- the run scoped to the annual report: its outcome rows (no unit) carry the scope
                    select run_id from dq.results
                    where unit_code is null and report_year = ? and report_type = 'NAM'
                        and suite = 'reporting_completeness' and expectation = 'every_expected_unit_reported'
                    order by run_at desc limit 1
                )
                """,
                [year],
            ).fetchall()
        )
    return [(flaw.suite, flaw.expectation, flaw.unit_code) in found for flaw in flaws]


def print_summary(result: dict, out: Path, console, store) -> None:
    """The demo's closing summary on `console`: the statuses in Vietnamese, a province and a unit account of
    the portal (added to `store`), the next commands to type on this warehouse, and last every output
    with its path."""
    import glob
    import json

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
    year = result["year"]
    console.print(
        f"Kho dữ liệu có các kỳ: {' · '.join(result['periods'])} (cột «Cùng kỳ năm trước» của các báo cáo năm "
        f"{year} lấy từ các kỳ năm {year - 1}); Kế hoạch năm {year}: {result['plan_tasks']} nhiệm vụ (Biểu 7; "
        f"kế hoạch năm {year - 1} để so sánh: kế hoạch mẫu đổi năm, trong {out / PLANS_DIR})."
    )
    console.print("Lỗi cài sẵn trong dữ liệu mẫu (các bộ kiểm tra phải tìm ra):")
    for flaw, found in result["flaws"]:
        verdict = "[green]đã tìm thấy[/]" if found else "[red]KHÔNG tìm thấy[/]"
        console.print(f"  {flaw.suite} · {flaw.unit_code}: {flaw.what_vi} ({flaw.expectation}) — {verdict}")
    for label, path in (("năm", result["report"]), ("6 tháng", result["six_month_report"])):
        if DRAFT_DIR in Path(path).parts:
            console.print(
                f"[yellow]Báo cáo {label} được giữ lại làm dự thảo ({path.parent}): kiểm tra dữ liệu có phát hiện "
                "mức lỗi (error), xem Kết quả kiểm tra dữ liệu.[/]"
            )

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
    console.print(f"Lệnh tiếp theo trên kho này: uv run bdg status --year {year} --period NAM --warehouse {warehouse}")

    def first(pattern: str) -> str:
        found = sorted(glob.glob(str(out / pattern))) or sorted(glob.glob(str(out / "du_thao" / pattern)))
        return found[0] if found else "(không có)"

    outputs = [
        ("Hộp thư mẫu", result["inbox"]),
        ("Kho dữ liệu", warehouse),
        ("Bảng tính gửi Bộ Nội vụ", result["report"]),
        ("Báo cáo HTML", first("bao_cao_bdg_*.html")),
        ("Dự thảo báo cáo (.docx)", first("du_thao_bao_cao_bdg_*.docx")),
        ("Báo cáo 6 tháng", result["six_month_report"]),
        ("Danh sách đôn đốc", first("don_doc_bdg_*.xlsx")),
        ("Dự thảo công văn đôn đốc", first("cong_van_don_doc_bdg_*.docx")),
        ("Phiếu phản hồi tệp bị từ chối", out / "feedback"),
        ("Kết quả kiểm tra dữ liệu (báo cáo năm)", first("data_docs/summary.html")),
    ]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column()
    table.add_column(overflow="fold")  # a path is shown whole, folded on a narrow terminal
    for label, path in outputs:
        table.add_row(label, str(path))
    console.print(table)  # last: the outputs are what the reader looks for
