"""`bdg`: the command line. Thin: parses options, calls `bdg.steps`, prints a summary.

Exit codes: 0 when the system worked (even if some input files were rejected), 1 when it failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bdg import settings
from bdg.summaries import print_ingest
from ingest.periods import REPORT_TYPES
from ingest.warehouse import location as warehouse_location

app = typer.Typer(help="Kho dữ liệu báo cáo bình đẳng giới (BĐG warehouse).", no_args_is_help=True)
console = Console()

WarehouseOpt = Annotated[
    Path | None, typer.Option("--warehouse", help="Tệp DuckDB hoặc ducklake:postgres:… (mặc định: $BDG_WAREHOUSE).")
]
ReferenceOpt = Annotated[
    Path | None, typer.Option("--reference", help="Thư mục dữ liệu danh mục (mặc định: $BDG_REFERENCE_DIR).")
]

# "6T", "6t", "6 tháng", "sáu tháng" → 6T; "NAM", "năm", "cả năm" → NAM
PERIOD_NAMES = {
    "6t": "6T", "6 tháng": "6T", "6 thang": "6T", "6thang": "6T", "sáu tháng": "6T",
    "nam": "NAM", "năm": "NAM", "cả năm": "NAM", "ca nam": "NAM",
}  # fmt: skip


def _parse_date(value: str) -> dt.date:
    """dd/mm/yyyy (as Vietnamese users write dates; also d/m/yyyy and dd-mm-yyyy) or yyyy-mm-dd."""
    text = value.strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"«{value}» không phải là ngày: ghi dạng dd/mm/yyyy (21/12/2026) hoặc yyyy-mm-dd"
        ) from None


def _as_of_option(value: str | None) -> str | None:
    return _parse_date(value).isoformat() if value else None


def _period_option(value: str | None) -> str | None:
    if value is None:
        return None
    normalized = PERIOD_NAMES.get(unicodedata.normalize("NFC", " ".join(value.split())).casefold())
    if normalized is None:
        raise typer.BadParameter(f"«{value}» không phải là kỳ báo cáo: 6T (6 tháng) hoặc NAM (năm)")
    return normalized


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Ngày đánh giá dd/mm/yyyy hoặc yyyy-mm-dd (mặc định: hôm nay, giờ Việt Nam).",
        callback=_as_of_option,
    ),
]
PeriodOpt = Annotated[
    str, typer.Option("--period", help="Kỳ báo cáo: 6T (6 tháng) hoặc NAM (năm).", callback=_period_option)
]


def _as_of(value: str | None) -> dt.date:
    return _parse_date(value) if value else settings.local_today()


def _loaded(warehouse: Path | None) -> Path:
    """The warehouse location, refused in one Vietnamese line when nothing was ever loaded into it (a
    reader never creates an empty warehouse)."""
    from ingest.warehouse import is_loaded

    path = warehouse_location(warehouse)
    if not is_loaded(path):
        state = "chưa có báo cáo nào được nạp vào" if path.exists() else "không có"
        _fail(
            f"{state} kho dữ liệu {path}. Hãy nạp báo cáo trước (bdg ingest --inbox …), hoặc chỉ tới kho "
            "bằng --warehouse / biến môi trường BDG_WAREHOUSE."
        )
    return path


def _reference(value: Path | None) -> Path:
    from ingest.reference import resolve_reference_dir

    return resolve_reference_dir(value)


def _period(value: str) -> str:
    normalized = _period_option(value)
    if normalized not in REPORT_TYPES:
        raise typer.BadParameter("kỳ báo cáo phải là 6T hoặc NAM", param_hint="--period")
    return normalized


def _fail(message: str) -> None:
    console.print(f"[bold red]Lỗi:[/] {message}")
    raise typer.Exit(1)


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Thư mục hộp thư (inbox) sẽ tạo.")],
    provinces: int = 1,
    units_per_province: Annotated[int | None, typer.Option(help="Số đơn vị mỗi tỉnh (mặc định: tất cả).")] = None,
    year: int = 2026,
    period: PeriodOpt = "NAM",
    late_rate: float = 0.1,
    missing_rate: float = 0.05,
    bad_rate: float = 0.03,
    seed: int = 42,
) -> None:
    """Tạo hộp thư báo cáo mẫu (tất định theo --seed) kèm _received.csv và _reference/."""
    from sample.generate import generate_inbox

    result = generate_inbox(
        out,
        provinces=provinces,
        units_per_province=units_per_province,
        year=year,
        report_type=_period(period),
        late_rate=late_rate,
        missing_rate=missing_rate,
        bad_rate=bad_rate,
        seed=seed,
    )
    console.print(f"Đã tạo {len(result.files)} tệp báo cáo trong {out} (danh mục: {out / '_reference'}).")


@app.command()
def template(
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị.")],
    year: Annotated[int, typer.Option("--year")],
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", help="Tệp .xlsx sẽ ghi.")],
    reference: ReferenceOpt = None,
) -> None:
    """Ghi biểu mẫu BDG-1 trống, điền sẵn thông tin đơn vị."""
    from ingest.form_writer import write_form
    from ingest.reference import read_units

    units = {u.unit_code: u for u in read_units(_reference(reference))}
    if unit not in units:
        console.print(f"[red]Mã đơn vị {unit} không có trong danh mục.[/]")
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_form(out, unit, units[unit].unit_name, year, _period(period))
    console.print(f"Đã ghi biểu mẫu: {out}")


@app.command()
def ingest(
    inbox: Annotated[Path, typer.Option("--inbox", help="Thư mục chứa các tệp báo cáo nhận được.")],
    out: Annotated[Path, typer.Option("--out", help="Thư mục kết quả (phiếu phản hồi trong feedback/).")] = Path("out"),
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    warehouse: WarehouseOpt = None,
    reference: ReferenceOpt = None,
) -> None:
    """Đọc, kiểm tra và nạp các tệp mới trong hộp thư vào kho (schema raw)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bdg.steps import ingest_step

    if not inbox.is_dir():
        _fail(f"không có thư mục hộp thư {inbox}")
    if as_json:
        summary = ingest_step(warehouse_location(warehouse), inbox, _reference(reference), out)
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    columns = (TextColumn("Nạp báo cáo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("ingest", total=None)

        def done(summary: dict) -> None:  # printed while the warehouse writes its file
            progress.stop()
            print_ingest(console, summary)

        ingest_step(
            warehouse_location(warehouse),
            inbox,
            _reference(reference),
            out,
            on_file=lambda _: progress.advance(task),
            on_start=lambda total: progress.update(task, total=total),
            on_done=done,
        )


@app.command()
def transform(warehouse: WarehouseOpt = None, as_of: AsOfOpt = None) -> None:
    """dbt build: staging → marts, với ngày đánh giá --as-of."""
    from bdg.steps import transform_step
    from bdg.transform import TransformError

    try:
        transform_step(_loaded(warehouse), _as_of(as_of))
    except TransformError as error:
        _fail(str(error))
    console.print("dbt build: xong.")


@app.command()
def check(warehouse: WarehouseOpt = None, as_of: AsOfOpt = None, out: Path | None = None) -> None:
    """Chạy các bộ kiểm tra Great Expectations; kết quả ghi vào dq.results (mã thoát 0 cả khi có phát hiện)."""
    import duckdb

    from bdg.steps import check_step

    try:
        result = check_step(_loaded(warehouse), _as_of(as_of), out)
    except (duckdb.Error, OSError) as error:
        _fail(str(error))
    counts = result["counts"]
    console.print(
        f"Kiểm tra kỳ {result['report_type']} {result['report_year']}: "
        f"{counts.get('error', 0)} lỗi (error), {counts.get('warning', 0)} cảnh báo (warning)."
    )
    for row in result.get("by_expectation", []):
        if row["failing"]:
            console.print(f"  {row['severity']:<7} {row['suite']}.{row['expectation']}: {row['failing']}")
    if "publishable" in result:
        verdict = "được công bố" if result["publishable"] else "[bold red]chưa được công bố[/] (còn lỗi error)"
        console.print(f"Báo cáo gửi Bộ Nội vụ: {verdict}.")
    if result.get("summary_html"):
        console.print(f"Tóm tắt: {result['summary_html']}")


@app.command()
def report(
    year: Annotated[int, typer.Option("--year")],
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out")],
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
    allow_empty: Annotated[
        bool, typer.Option("--cho-phep-rong", help="Vẫn lập báo cáo khi kỳ chưa có báo cáo nào được chấp nhận.")
    ] = False,
    national: Annotated[
        bool, typer.Option("--national", help="Báo cáo tổng hợp toàn quốc (mỗi tỉnh một dòng và dòng Toàn quốc).")
    ] = False,
) -> None:
    """Ghi báo cáo gửi Bộ Nội vụ (.xlsx, có trang nguồn số liệu), báo cáo HTML có biểu đồ và dự thảo báo cáo (.docx)."""
    import duckdb

    from bdg.steps import PeriodError, national_period_report_step, period_report_step
    from bdg.transform import TransformError

    path, step = _loaded(warehouse), national_period_report_step if national else period_report_step
    try:
        with console.status("Đang dựng số liệu và lập báo cáo…"):
            written = step(path, year, _period(period), _as_of(as_of) if as_of else None, out, allow_empty=allow_empty)
    except (PeriodError, duckdb.Error, TransformError, OSError, ValueError) as error:
        _fail(str(error))
    if not written.get("publishable", True):
        console.print("[bold red]Còn lỗi (error) trong kiểm tra dữ liệu:[/] báo cáo được ghi vào bản dự thảo.")
    book = "Bảng tính tổng hợp toàn quốc" if national else "Bảng tính gửi Bộ Nội vụ"
    for key, label in (("workbook", book), ("html", "Báo cáo HTML"), ("narrative", "Dự thảo báo cáo")):
        if key in written:
            console.print(f"{label}: {written[key]}")


@app.command()
def export(
    year: Annotated[int, typer.Option("--year")],
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi các tệp.")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv hoặc parquet.")] = "xlsx",
    period: Annotated[str | None, typer.Option("--period", help="Kỳ báo cáo: 6T hoặc NAM (mặc định: cả năm).")] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Xuất các bảng marts của một năm (và kỳ) ra xlsx, csv hoặc parquet để dùng trong công cụ khác."""
    import duckdb

    from bdg.steps import PeriodError, require_period
    from report.export import FORMATS, export_marts

    if fmt not in FORMATS:
        raise typer.BadParameter("định dạng phải là xlsx, csv hoặc parquet", param_hint="--format")
    path = _loaded(warehouse)
    chosen = _period(period) if period else None
    try:
        require_period(path, year, chosen)
        written = export_marts(path, year, chosen, fmt, out)
    except (PeriodError, duckdb.Error, OSError) as error:
        _fail(str(error))
    folders = sorted({path.parent for path in written})
    console.print(f"Đã xuất {len(written)} tệp vào {', '.join(str(folder) for folder in folders)}:")
    for path in written:
        console.print(f"  {path.name}")


@app.command()
def chase(
    year: Annotated[int, typer.Option("--year")],
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi danh sách đôn đốc và dự thảo công văn.")],
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Danh sách đơn vị cần đôn đốc (chưa gửi, bị từ chối, gửi muộn) và dự thảo công văn đôn đốc (.docx)."""
    import duckdb

    from bdg.steps import chase_step, ensure_marts_as_of, require_period
    from bdg.transform import TransformError

    path, chosen, as_of_date = _loaded(warehouse), _period(period), _as_of(as_of)
    try:
        with console.status("Đang dựng số liệu…"):
            ensure_marts_as_of(path, as_of_date)
        require_period(path, year, chosen)
        result = chase_step(path, year, chosen, as_of_date, out)
    except (duckdb.Error, TransformError, OSError, ValueError) as error:
        _fail(str(error))
    counts = {status: len(codes) for status, codes in result["unit_codes"].items()}
    console.print(
        f"Đơn vị cần đôn đốc: {counts['missing']} chưa gửi · {counts['rejected']} bị từ chối · "
        f"{counts['late']} gửi muộn · tệp không xác định được đơn vị: {len(result['unattributed_files'])}"
    )
    console.print(f"Danh sách: {result['chase_xlsx']}")
    for letter in result["letters"]:
        console.print(f"Dự thảo công văn: {letter}")


@app.command()
def status(
    year: Annotated[int, typer.Option("--year")],
    period: PeriodOpt,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Tình hình báo cáo từng đơn vị: đúng hạn / muộn / chưa gửi / chưa đến hạn / bị từ chối."""
    import duckdb

    from bdg.steps import ensure_marts_as_of, reporting_status, require_period
    from bdg.transform import TransformError

    path, chosen, as_of_date = _loaded(warehouse), _period(period), _as_of(as_of)
    try:
        with console.status("Đang dựng số liệu…") if not as_json else contextlib.nullcontext():
            ensure_marts_as_of(path, as_of_date)
        require_period(path, year, chosen)
        records = reporting_status(path, year, chosen, as_of_date)
    except (duckdb.Error, TransformError, OSError, ValueError) as error:
        _fail(str(error))
    if as_json:
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=f"Tình hình báo cáo kỳ {chosen} năm {year} (tính đến {as_of_date:%d/%m/%Y})")
    for name in ("Mã đơn vị", "Tên đơn vị", "Trạng thái", "Số ngày muộn"):
        table.add_column(name)
    order = {code: index for index, code in enumerate(("missing", "rejected", "late", "pending", "on_time"))}
    for record in sorted(records, key=lambda r: (order.get(r["status"], 9), -(r["days_late"] or 0), r["unit_code"])):
        days = str(record["days_late"]) if record["days_late"] else ""
        table.add_row(record["unit_code"], record["unit_name"], record["status_name_vi"], days)
    console.print(table)


@app.command()
def run(
    inbox: Annotated[Path, typer.Option("--inbox")],
    out: Annotated[Path, typer.Option("--out")],
    warehouse: WarehouseOpt = None,
    reference: ReferenceOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Chạy toàn bộ quy trình hằng đêm trong tiến trình này (giống DAG bdg_nightly)."""
    from bdg.steps import run_pipeline
    from bdg.transform import TransformError

    try:
        result = run_pipeline(inbox, out, warehouse_location(warehouse), _reference(reference), _as_of(as_of))
    except TransformError as error:
        _fail(str(error))
    print_ingest(console, result.ingest)
    console.print(f"Kho dữ liệu: {result.warehouse}\nBáo cáo: {result.report_path}")
    console.print(
        f"Tình hình báo cáo: {result.published['status']}\nDanh sách đôn đốc: {result.published['chase_xlsx']}"
    )


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Thư mục kết quả.")] = Path("out"),
    as_of: AsOfOpt = None,
) -> None:
    """Tạo hộp thư mẫu của một tỉnh và chạy DAG bdg_nightly qua Airflow (dag.test) trên DuckDB nhúng."""
    from bdg.demo import print_summary, run_demo
    from portal.accounts import database_path

    out = out.resolve()
    database_path(out / "bdg.duckdb").unlink(missing_ok=True)  # the demo's own portal accounts, made anew
    result = run_demo(out, _as_of(as_of) if as_of else None)
    print_summary(result, out, console, _portal_store(Path(result["warehouse"])))


plan_app = typer.Typer(help="Kế hoạch của tỉnh: phụ lục nhiệm vụ.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


@plan_app.command("import")
def plan_import(
    file: Annotated[Path, typer.Argument(help="Tệp phụ lục nhiệm vụ (.xlsx/.xls/.ods hoặc văn bản .txt/.tsv).")],
    province: Annotated[str, typer.Option("--province", help="Mã tỉnh, ví dụ 24.")],
    year: Annotated[int, typer.Option("--year", help="Năm của kế hoạch.")],
    warehouse: WarehouseOpt = None,
    reference: ReferenceOpt = None,
) -> None:
    """Nạp phụ lục nhiệm vụ của kế hoạch (mã nhiệm vụ, cơ quan chủ trì/phối hợp, thời hạn, chỉ tiêu)."""
    from ingest.plan_tasks import PlanImportError, import_plan
    from ingest.reference import read_units

    if not file.is_file():
        _fail(f"không có tệp {file}")
    try:
        plan = import_plan(warehouse_location(warehouse), file, province, year, read_units(_reference(reference)))
    except PlanImportError as error:
        console.print(f"[red]Không nạp được phụ lục:[/] {error}")
        raise typer.Exit(2) from None
    title = f"{len(plan.tasks)} nhiệm vụ của kế hoạch năm {year} (tỉnh {province})"
    table = Table("Mã", "Cơ quan chủ trì", "Thời hạn", title=title)
    for row in plan.tasks:  # rich prints None as an empty cell
        table.add_row(row.task_code, row.lead_text, f"{row.due_date:%d/%m/%Y}" if row.due_date else row.timeline_text)
    console.print(table)
    for warning in plan.warnings:  # the plan still loaded; these agencies have no unit to report
        console.print(f"Cảnh báo: {warning.message_vi}", style="yellow", markup=False)


def main() -> None:
    """The `bdg` command. A locked warehouse, or an error nobody foresaw, ends in one Vietnamese line and
    exit code 1, never a traceback; the traceback goes to a log file for engineers."""
    import gc

    from ingest.warehouse import WarehouseBusyError

    try:
        app()
    except WarehouseBusyError as error:
        console.print(f"[bold red]Lỗi:[/] {error}")
        raise SystemExit(1) from None
    except Exception:  # noqa: BLE001 — the last guard between a user and a traceback
        log = _record_traceback()
        console.print(
            f"[bold red]Lỗi hệ thống:[/] bdg gặp lỗi ngoài dự kiến và đã dừng. Chi tiết kỹ thuật (cho kỹ sư): {log}"
        )
        raise SystemExit(1) from None
    finally:
        # The process ends now: its last collection would walk every object the command made (0.14 s after
        # a national ingest, the user waiting); frozen, they are left to the exit.
        gc.freeze()


def _record_traceback() -> Path:
    """Append the current exception's traceback to $BDG_LOG_DIR/bdg-errors.log (else the temp folder)."""
    import os
    import tempfile
    import traceback

    folder = Path(os.environ.get("BDG_LOG_DIR") or tempfile.gettempdir())
    log = folder / "bdg-errors.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now(settings.LOCAL_TZ).isoformat()}\n{traceback.format_exc()}\n")
    except OSError:
        return Path("(không ghi được nhật ký lỗi)")
    return log


# --- the portal (issue 15): `bdg serve`, `bdg users add/list/disable` ----------------------------------------

users_app = typer.Typer(help="Tài khoản của cổng báo cáo (đơn vị, Sở Nội vụ, Bộ Nội vụ).", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _portal_store(warehouse: Path | None):
    from portal.accounts import Store, database_path

    return Store(database_path(warehouse_location(warehouse)))


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng.")] = 8080,
    warehouse: WarehouseOpt = None,
) -> None:
    """Chạy cổng báo cáo trên web (đơn vị nộp báo cáo; Sở Nội vụ, Bộ Nội vụ xem tình hình)."""
    import os

    import uvicorn

    from portal.app import create_app

    # A page waits a few seconds for a warehouse the nightly holds, then says it is busy.
    os.environ.setdefault("BDG_LOCK_WAIT_SECONDS", os.environ.get("BDG_PORTAL_LOCK_WAIT_SECONDS", "5"))
    portal = create_app(warehouse=warehouse_location(warehouse) if warehouse else None)
    console.print(f"Cổng báo cáo: http://{host}:{port}/ (Ctrl+C để dừng)")
    uvicorn.run(portal, host=host, port=port, proxy_headers=True, server_header=False, log_level="info")


@users_app.command("add")
def users_add(
    login: Annotated[str, typer.Option("--login", help="Tên đăng nhập.")],
    role: Annotated[str, typer.Option("--role", help="unit, province hoặc ministry.")],
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị (vai trò unit).")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Mã tỉnh (vai trò province).")] = None,
    warehouse: WarehouseOpt = None,
    reference: ReferenceOpt = None,
) -> None:
    """Tạo tài khoản; mật khẩu đọc từ đầu vào chuẩn (để trống: tạo ngẫu nhiên và in ra một lần)."""
    import getpass
    import sys

    from ingest.reference import read_units
    from portal.accounts import AccountError, generate_password

    if role == "unit":
        units = {u.unit_code: u for u in read_units(_reference(reference))}
        if unit not in units:
            _fail(f"mã đơn vị {unit} không có trong danh mục đơn vị")
        province = province or units[unit].province_code
    if sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu (để trống để tạo ngẫu nhiên): ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    generated = not password
    password = password or generate_password()
    try:
        _portal_store(warehouse).add(login, role, password, unit_code=unit, province_code=province)
    except AccountError as error:
        _fail(str(error))
    console.print(f"Đã tạo tài khoản {login} ({role}).")
    if generated:
        print(f"Mật khẩu (chỉ in một lần): {password}")


@users_app.command("list")
def users_list(warehouse: WarehouseOpt = None) -> None:
    """Liệt kê các tài khoản của cổng."""
    table = Table(title="Tài khoản cổng báo cáo")
    for name in ("Tên đăng nhập", "Vai trò", "Đơn vị", "Tỉnh", "Trạng thái"):
        table.add_column(name)
    for row in _portal_store(warehouse).accounts():
        state = "đã khóa" if row["disabled"] else ("tạm khóa đến " + row["locked_until"] if row["locked_until"] else "")
        table.add_row(row["login"], row["role"], row["unit_code"] or "", row["province_code"] or "", state)
    console.print(table)


@users_app.command("disable")
def users_disable(login: Annotated[str, typer.Argument(help="Tên đăng nhập.")], warehouse: WarehouseOpt = None) -> None:
    """Khóa một tài khoản (không đăng nhập được nữa; phiên đang mở hết hiệu lực)."""
    from portal.accounts import AccountError

    try:
        _portal_store(warehouse).disable(login)
    except AccountError as error:
        _fail(str(error))
    console.print(f"Đã khóa tài khoản {login}.")


if __name__ == "__main__":
    main()
