"""What the Airflow DAGs need, kept out of the DAG files: configuration, the assets that link the DAGs,
the cosmos task group that runs the dbt project, the task bodies and the failure alert.

Configuration comes from the environment (and, for alerts, an Airflow connection and variable) only:
`BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`, `BDG_STAGING_DIR`, `BDG_DBT_PROJECT_DIR`,
`BDG_PARSE_BATCH_FILES`; defaults are resolved from this file's location, never from the working directory
(an Airflow worker's working directory is arbitrary). Alerts e-mail through the SMTP connection `bdg_smtp`
to the addresses in the variable `bdg_alert_emails` (or env `BDG_ALERT_EMAILS`) when both are set.

Importing this module does no work and does not import airflow: `bdg.airflow_local` imports it before
Airflow's configuration is set.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import re
import shutil
import sys
from pathlib import Path

from bdg import settings
from ingest.atomic import write_json

log = logging.getLogger(__name__)

TIMEZONE = "Asia/Ho_Chi_Minh"
WAREHOUSE_POOL = "bdg_warehouse"  # size 1: DuckDB has one writer, and a writer excludes other processes' readers
SMTP_CONN_ID = "bdg_smtp"
ALERT_EMAILS_VARIABLE = "bdg_alert_emails"
REMINDER_WINDOW_DAYS = 14  # reminders run daily from 14 days before a due date to 14 days after
PARSE_BATCH_FILES = 64  # files per mapped parse task: small enough to spread a province over workers
AS_OF_XCOM = "{{ ti.xcom_pull(task_ids='as_of') }}"

# Assets: what each step leaves behind, so one DAG's output can be seen (and scheduled on) by another.
ASSET_URIS = {
    "raw": "x-bdg://warehouse/raw",  # raw.* after the loader committed the night's files
    "marts": "x-bdg://warehouse/marts",  # staging + marts after dbt build
    "dq": "x-bdg://warehouse/dq",  # dq.results after the expectations
    "status": "x-bdg://out/status",  # status_<year>_<type>.json
    "chase": "x-bdg://out/chase",  # the chase list and the draft reminder letter
    "report": "x-bdg://out/report",  # the ministry workbook, HTML report and narrative
}


def _retry_args() -> dict:
    return {
        "owner": "so-noi-vu",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=30),
    }


# --- configuration ---------------------------------------------------------------------------------------


def paths() -> dict[str, Path]:
    """Inbox, output folder, warehouse, reference data, Parquet staging and alerts folders.

    Each from its BDG_* environment variable, else a folder beside the project (resolved from this file).
    """
    from ingest.reference import resolve_reference_dir

    root = settings.PROJECT_ROOT
    out = Path(os.environ.get("BDG_OUT_DIR") or root / "out")
    return {
        "inbox": Path(os.environ.get("BDG_INBOX") or root / "inbox"),
        "out": out,
        "warehouse": Path(os.environ.get("BDG_WAREHOUSE") or root / "warehouse" / "bdg.duckdb"),
        "reference": resolve_reference_dir(None),
        "staging": Path(os.environ.get("BDG_STAGING_DIR") or out / "staging"),
        "alerts": out / "alerts",
    }


def default_args() -> dict:
    """Retries with exponential backoff and the failure alert, for every task of every BDG DAG."""
    return {**_retry_args(), "on_failure_callback": alert_on_failure}


@functools.cache
def asset(key: str):
    """The Airflow Asset for one of ASSET_URIS ('raw', 'marts', 'dq', 'status', 'chase', 'report')."""
    from airflow.sdk import Asset

    return Asset(name=f"bdg_{key}", uri=ASSET_URIS[key], group="bdg")


def local_date(moment) -> dt.date:
    return moment.astimezone(settings.LOCAL_TZ).date()


def as_of_for_run(params: dict | None, data_interval_end, run_after=None) -> dt.date:
    """The run's as-of date: the `as_of_date` param when given, else the local date the interval ends."""
    if params and params.get("as_of_date"):
        return dt.date.fromisoformat(str(params["as_of_date"]))
    moment = data_interval_end or run_after
    if moment is None:
        return settings.local_today()
    return local_date(moment)


def run_key(run_id: str) -> str:
    """A folder name for a DAG run (run ids hold ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)


# --- dbt through cosmos ----------------------------------------------------------------------------------


def dbt_task_group(group_id: str = "transform"):
    """The dbt project as a cosmos DbtTaskGroup, in the warehouse pool: one `dbt build` task per model and seed
    (the node and its own tests), and one task per test with several parents (relationships) after all of them.

    Cautious indirect selection keeps a multi-parent test out of its first parent's build (where the other
    parent may not exist yet); cosmos renders it detached instead. BUILD rather than AFTER_EACH halves the
    task count: each task pays a process start and a dbt start, which dominate on a two-core machine.
    """
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

    project_dir = settings.dbt_project_dir()
    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=project_dir,
            env_vars={"BDG_WAREHOUSE": str(paths()["warehouse"])},
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name="bdg", target_name="dev", profiles_yml_filepath=project_dir / "profiles.yml"
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            # dbt runs in-process; cosmos still checks that the executable exists, and the venv's bin/
            # is not on PATH when Python is started by its full path.
            dbt_executable_path=str(Path(sys.executable).parent / "dbt"),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_LS,
            invocation_mode=InvocationMode.DBT_RUNNER,
            test_behavior=TestBehavior.BUILD,
            should_detach_multiple_parents_tests=True,
            enable_mock_profile=False,
        ),
        operator_args={"vars": {"as_of_date": AS_OF_XCOM}, "pool": WAREHOUSE_POOL},
        default_args=default_args(),
    )


# --- bdg_nightly task bodies -----------------------------------------------------------------------------


def discover() -> list[list[dict]]:
    """The inbox's new files in batches of BDG_PARSE_BATCH_FILES (one mapped parse task per batch)."""
    from ingest.staging import plan_batches

    where = paths()
    where["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    size = int(os.environ.get("BDG_PARSE_BATCH_FILES") or PARSE_BATCH_FILES)
    return plan_batches(where["warehouse"], where["inbox"], batch_files=size)


def parse(batch: list[dict], run_id: str) -> str:
    """Parse and validate one batch to Parquet under the staging folder of this run; returns its folder.

    Touches no database, so parse tasks run in parallel on any worker that sees the shared paths.
    """
    from ingest.staging import parse_batch

    where = paths()
    return parse_batch(batch, where["reference"], where["staging"] / run_key(run_id), where["out"] / "feedback")


def load(run_id: str) -> dict:
    """The single writer: commit every staged batch of this run, then drop the run's staging folder.

    Reads the run's staging folder rather than the parse tasks' results, so a night with no new files (no
    parse task at all) still reloads the reference data and goes on to rebuild the marts for the new date.
    """
    from ingest.staging import load_staged

    where = paths()
    folder = where["staging"] / run_key(run_id)
    batches = sorted(str(path) for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []
    counts = load_staged(where["warehouse"], batches, where["reference"])
    shutil.rmtree(folder, ignore_errors=True)
    return {"batches": len(batches), "counts": counts}


def expectations(as_of_date: str) -> dict:
    """Run the expectation suites for the period the as-of date is about (findings to dq.results)."""
    from bdg.steps import check_step

    where = paths()
    result = check_step(where["warehouse"], dt.date.fromisoformat(as_of_date), where["out"])
    return {key: result[key] for key in ("counts", "report_year", "report_type", "success", "publishable")}


def publish(as_of_date: str) -> dict:
    """Publish the night's reporting status (OUT/status/status_<year>_<type>.json) and the chase list."""
    as_of = dt.date.fromisoformat(as_of_date)
    year, report_type = settings.period_of(as_of)
    where = paths()
    status_file = write_status(where["warehouse"], year, report_type, as_of, where["out"] / "status")
    chase = chase_list(where["warehouse"], year, report_type, where["out"], as_of)
    return {"status": str(status_file), **chase}


def write_status(warehouse: Path, year: int, report_type: str, as_of: dt.date, out_dir: Path) -> Path:
    """Per unit of the period: status, days late, first and last received (from marts.rpt_reporting_status)."""
    import duckdb

    from bdg.transform import release_dbt_duckdb

    release_dbt_duckdb()  # dag.test: dbt ran in this process and may still hold the file
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select unit_code, unit_name, status, days_late, first_received_at, last_received_at "
            "from marts.rpt_reporting_status where report_year = ? and report_type = ? order by unit_code",
            [year, report_type],
        )
        columns = [column[0] for column in cursor.description]
        units = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit["status"]] = counts.get(unit["status"], 0) + 1
    document = {"report_year": year, "report_type": report_type, "as_of_date": as_of.isoformat(), "counts": counts}
    return write_json(out_dir / f"status_{year}_{report_type}.json", {**document, "units": units})


def chase_list(warehouse: Path, year: int, report_type: str, out_dir: Path, as_of: dt.date) -> dict:
    """The chase workbook and draft letter (report.chase.write_chase_list); file paths and unit codes."""
    from report.chase import write_chase_list

    result = write_chase_list(warehouse, year, report_type, out_dir, as_of)
    return {
        "chase_xlsx": str(result["xlsx"]),
        "letters": [str(path) for path in result["letters"].values()],
        "unit_codes": result["unit_codes"],
    }


def report(as_of_date: str) -> str:
    """The ministry workbook of the period in progress, refreshed every night (a draft until published)."""
    from bdg.steps import report_step

    where = paths()
    year, report_type = settings.period_of(dt.date.fromisoformat(as_of_date))
    return str(report_step(where["warehouse"], year, report_type, where["out"]))


# --- bdg_period_report and bdg_reminders -----------------------------------------------------------------


def period_for_report(params: dict | None, data_interval_end, run_after=None) -> tuple[int, str]:
    """The period a report run is about: params `year` and `period` when given, else the period whose due
    date has just passed (a run on 1/6 → 6T of that year, on 1/12 → NAM of that year)."""
    params = params or {}
    year, period = params.get("year"), params.get("period")
    if year and period:
        return int(year), str(period)
    default_year, default_period = settings.period_of(as_of_for_run(None, data_interval_end, run_after))
    return int(year or default_year), str(period or default_period)


def period_report(params: dict | None, data_interval_end, run_after=None) -> dict:
    """Build the ministry report (workbook, HTML, narrative) of the period; returns their paths."""
    from bdg import steps

    year, report_type = period_for_report(params, data_interval_end, run_after)
    where = paths()
    outputs = getattr(steps, "report_outputs", None)
    if outputs is None:  # older bdg.steps: the workbook only
        written = {"workbook": steps.report_step(where["warehouse"], year, report_type, where["out"])}
    else:
        written = outputs(where["warehouse"], year, report_type, where["out"])
    return {"report_year": year, "report_type": report_type, **{key: str(path) for key, path in written.items()}}


def reminder_period(data_interval_end, run_after=None, params: dict | None = None) -> dict | None:
    """The period whose due date is within REMINDER_WINDOW_DAYS of the run's date, or None (no reminders).

    Due dates come from the reporting calendar (reference data), so a province with its own deadlines
    gets its own reminder window. Param `as_of_date` overrides the run's date.
    """
    from ingest.reference import read_calendar

    day = as_of_for_run(params, data_interval_end, run_after)
    window = dt.timedelta(days=REMINDER_WINDOW_DAYS)
    calendar = read_calendar(paths()["reference"])
    due = sorted({(abs(entry.due_date - day), entry.report_year, entry.report_type) for entry in calendar})
    if not due or due[0][0] > window:
        log.info("%s: no due date within %s days, no reminders", day, REMINDER_WINDOW_DAYS)
        return None
    _, year, report_type = due[0]
    return {"report_year": year, "report_type": report_type, "as_of_date": day.isoformat()}


def reminders(period: dict) -> dict:
    """The chase list and letter for the period, dated the run's day, under OUT/reminders/<date>/."""
    where = paths()
    as_of = dt.date.fromisoformat(period["as_of_date"])
    out_dir = where["out"] / "reminders" / as_of.isoformat()
    return chase_list(where["warehouse"], period["report_year"], period["report_type"], out_dir, as_of)


# --- failure alert ---------------------------------------------------------------------------------------


def alert_on_failure(context) -> None:
    """on_failure_callback: write OUT/alerts/<time>__<dag>__<task>__try<n>.json and e-mail it when the
    `bdg_smtp` connection and recipients exist. Never raises: an alert must not hide the failure itself."""
    try:
        alert = _alert_record(context)
        path = write_alert(alert)
        log.error("BDG alert written to %s", path)
    except Exception:  # noqa: BLE001 — the callback must not fail the failure handling
        log.exception("could not write the BDG alert")
        return
    try:
        send_alert_email(alert)
    except Exception:  # noqa: BLE001
        log.exception("could not e-mail the BDG alert (written to %s)", path)


def _alert_record(context) -> dict:
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    exception = context.get("exception")
    return {
        "dag_id": getattr(ti, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", -1),
        "run_id": getattr(ti, "run_id", None) or getattr(dag_run, "run_id", None),
        "try_number": getattr(ti, "try_number", None),
        "logical_date": str(context.get("logical_date") or ""),
        "failed_at": dt.datetime.now(settings.LOCAL_TZ).isoformat(timespec="seconds"),
        "error": f"{type(exception).__name__}: {exception}" if exception is not None else None,
        "log_url": getattr(ti, "log_url", None),
    }


def write_alert(alert: dict) -> Path:
    """One JSON file per failure under OUT/alerts/."""
    stamp = alert["failed_at"].replace(":", "").replace("+", "p")
    name = run_key(f"{stamp}__{alert['dag_id']}__{alert['task_id']}__try{alert['try_number']}")
    return write_json(paths()["alerts"] / f"{name}.json", alert)


def alert_recipients() -> list[str]:
    """Addresses from the Airflow variable `bdg_alert_emails` (comma-separated), else env BDG_ALERT_EMAILS."""
    value = None
    try:
        from airflow.sdk import Variable

        value = Variable.get(ALERT_EMAILS_VARIABLE, default=None)
    except Exception:  # noqa: BLE001 — no variable store reachable: fall back to the environment
        value = None
    value = value or os.environ.get("BDG_ALERT_EMAILS", "")
    return [address.strip() for address in value.split(",") if address.strip()]


def smtp_connection():
    """The `bdg_smtp` Airflow connection, or None when it is not configured."""
    try:
        from airflow.sdk import BaseHook

        return BaseHook.get_connection(SMTP_CONN_ID)
    except Exception:  # noqa: BLE001 — AirflowNotFoundException and friends: no e-mail then
        return None


def send_alert_email(alert: dict) -> bool:
    """E-mail the alert through `bdg_smtp`; False (nothing sent) when the connection or recipients are missing."""
    connection, recipients = smtp_connection(), alert_recipients()
    if connection is None or not recipients:
        return False
    subject = f"[BĐG] Lỗi {alert['dag_id']}.{alert['task_id']} (lần {alert['try_number']})"
    body = "<pre>" + json.dumps(alert, ensure_ascii=False, indent=2).replace("<", "&lt;") + "</pre>"
    try:
        from airflow.providers.smtp.hooks.smtp import SmtpHook
    except ImportError:  # provider absent: plain smtplib with the connection's host, port and login
        _send_with_smtplib(connection, recipients, subject, body)
        return True
    from_email = connection.extra_dejson.get("from_email") or connection.login or "airflow@localhost"
    with SmtpHook(smtp_conn_id=SMTP_CONN_ID) as hook:
        hook.send_email_smtp(to=recipients, subject=subject, html_content=body, from_email=from_email)
    return True


def _send_with_smtplib(connection, recipients: list[str], subject: str, body: str) -> None:
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"], message["To"] = subject, ", ".join(recipients)
    message["From"] = connection.extra_dejson.get("from_email") or connection.login or "airflow@localhost"
    message.set_content(body, subtype="html")
    with smtplib.SMTP(connection.host, connection.port or 25, timeout=30) as client:
        if not connection.extra_dejson.get("disable_tls", False):
            client.starttls()
        if connection.login:
            client.login(connection.login, connection.password or "")
        client.send_message(message)
