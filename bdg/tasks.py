"""The bodies of the BDG DAGs' tasks: each is one call into `bdg.steps` or the ingest drivers, with the
paths from the environment (`bdg.settings.paths`) and the dates from the run.

Tasks are keyed by the run's as-of date (the `as_of_date` param, else the local date the data interval
ends), never by the clock, so a re-run of a past date reproduces it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from bdg import settings, steps
from ingest.periods import local_date, period_of

log = logging.getLogger(__name__)

REMINDER_WINDOW_DAYS = 14  # reminders run daily from 14 days before a due date to 14 days after


def as_of_for_run(params: dict | None, data_interval_end, run_after=None) -> dt.date:
    """The run's as-of date: the `as_of_date` param when given, else the local date the interval ends."""
    if params and params.get("as_of_date"):
        return dt.date.fromisoformat(str(params["as_of_date"]))
    moment = data_interval_end or run_after
    return settings.local_today() if moment is None else local_date(moment)


def staging_dir(run_id: str):
    """This run's folder for parsed batches (run ids hold ':' and '+')."""
    return settings.paths()["staging"] / re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)


# --- bdg_nightly -------------------------------------------------------------------------------------------


def discover() -> list[dict]:
    """The inbox's new files, in batches of BDG_PARSE_BATCH_FILES (one mapped parse task per batch)."""
    from ingest.staging import plan_batches

    where = settings.paths()
    return plan_batches(where["warehouse"], where["inbox"], settings.parse_batch_files())


def parse(batch: dict, run_id: str) -> str:
    """Parse and validate one batch to Parquet in the run's staging folder (no database: any worker)."""
    from ingest.staging import parse_batch

    where = settings.paths()
    return parse_batch(batch, where["reference"], staging_dir(run_id), where["out"] / "feedback")


def load(batches: list[dict], run_id: str) -> dict:
    """The single writer commits every planned batch; fails when one of them is not in the staging folder."""
    from ingest.staging import load_planned

    where = settings.paths()
    return load_planned(where["warehouse"], staging_dir(run_id), batches, where["reference"])


def expectations(as_of_date: str) -> dict:
    """The expectation suites of the as-of date's period; the gate the `report` task obeys."""
    result = steps.check_step(settings.paths()["warehouse"], dt.date.fromisoformat(as_of_date), settings.paths()["out"])
    return {key: result[key] for key in ("counts", "report_year", "report_type", "success", "publishable")}


def publish(as_of_date: str) -> dict:
    """The night's status file and chase list with its letter (`steps.publish_step`)."""
    where = settings.paths()
    return steps.publish_step(where["warehouse"], dt.date.fromisoformat(as_of_date), where["out"])


def report(as_of_date: str, checks: dict) -> dict:
    """The period's reports, published or held back as a draft by the checks (`steps.report_step`)."""
    where = settings.paths()
    year, report_type = period_of(dt.date.fromisoformat(as_of_date))
    written = steps.report_step(where["warehouse"], year, report_type, where["out"], publishable=checks["publishable"])
    return {key: str(path) for key, path in written.items()}


def source_freshness(as_of_date: str) -> dict:
    """`dbt source freshness` after the load: a source past its `warn_after`/`error_after` (`__sources.yml`)
    is a warning — logged, written to OUT/alerts/<run>__source_freshness.json — never a failed run: the
    marts are still built from what the warehouse holds. Returns {'stale': [...], 'checked': n}.
    Failure mode: TransformError when dbt cannot run at all (no sources.json written).
    """
    from bdg.transform import TransformError, run_dbt
    from ingest.atomic import write_json
    from ingest.warehouse import work_dir as warehouse_work_dir

    where = settings.paths()
    # run_dbt's default (absolute: dbt would resolve a relative path from its project folder), so the
    # build after it reuses this parse
    work_dir = warehouse_work_dir(where["warehouse"]) / "dbt"
    sources_json = work_dir / "target" / "sources.json"
    sources_json.unlink(missing_ok=True)
    try:
        run_dbt(["source", "freshness"], where["warehouse"], dt.date.fromisoformat(as_of_date), work_dir=work_dir)
    except TransformError:
        if not sources_json.is_file():  # dbt could not run; an `error_after` breach still writes sources.json
            raise
    results = json.loads(sources_json.read_text(encoding="utf-8")).get("results", [])
    stale = [
        {"source": result["unique_id"].removeprefix("source.bdg."), "status": result["status"],
         "max_loaded_at": result.get("max_loaded_at"),
         "age_seconds": result.get("max_loaded_at_time_ago_in_s")}
        for result in results if result.get("status") in ("warn", "error", "runtime error")
    ]  # fmt: skip
    if stale:
        path = write_json(where["alerts"] / f"{as_of_date}__source_freshness.json", {"stale_sources": stale})
        log.warning("Nguồn dữ liệu quá hạn cập nhật (cảnh báo; marts vẫn được dựng): %s — xem %s", stale, path)
    return {"checked": len(results), "stale": stale}


def transform(as_of_date: str) -> None:
    """ONE `dbt build` of the project (seeds, models, tests) for the as-of date: `steps.transform_step`,
    the same call as `bdg run` and `bdg transform`. Failure mode: TransformError."""
    steps.transform_step(settings.paths()["warehouse"], dt.date.fromisoformat(as_of_date))


# --- bdg_period_report and bdg_reminders -------------------------------------------------------------------


def period_report(params: dict | None, data_interval_end, run_after=None) -> dict:
    """The ministry report of a period: params `year` and `period` when given, else the period whose due
    date has just passed (a run on 1/6 → 6T of that year, on 1/12 → NAM of that year)."""
    params = params or {}
    as_of = as_of_for_run(None, data_interval_end, run_after)
    default_year, default_period = period_of(as_of)
    year, report_type = int(params.get("year") or default_year), str(params.get("period") or default_period)
    where = settings.paths()
    written = steps.period_report_step(where["warehouse"], year, report_type, as_of, where["out"])
    return {"report_year": year, "report_type": report_type, **{key: str(value) for key, value in written.items()}}


DBT_DOCS = "dbt_docs/index.html"  # under BDG_OUT_DIR: the warehouse's models, tests and lineage, one file


def dbt_docs(data_interval_end, run_after=None) -> str:
    """`dbt docs generate --static` of the warehouse into OUT/dbt_docs/index.html (one self-contained page
    that opens from disk): every model, column, test, source and exposure with the lineage. Returns its path.
    Failure mode: TransformError when dbt cannot read the warehouse."""
    import shutil
    import tempfile
    from pathlib import Path

    from bdg.transform import run_dbt
    from ingest.atomic import atomic_output

    where = settings.paths()
    as_of = as_of_for_run(None, data_interval_end, run_after)
    with tempfile.TemporaryDirectory(prefix="bdg-dbt-docs-") as work:
        run_dbt(["docs", "generate", "--static"], where["warehouse"], as_of, work_dir=Path(work))
        with atomic_output(where["out"] / DBT_DOCS) as tmp:
            shutil.copyfile(Path(work) / "target" / "static_index.html", tmp)
    return str(where["out"] / DBT_DOCS)


def reminder_period(params: dict | None, data_interval_end, run_after=None) -> dict | None:
    """The period whose due date is within REMINDER_WINDOW_DAYS of the run's date, or None (no reminders).

    Due dates come from the reporting calendar (reference data), so a province with its own deadlines
    gets its own reminder window. Param `as_of_date` overrides the run's date.
    """
    from ingest.reference import read_calendar

    day = as_of_for_run(params, data_interval_end, run_after)
    window = dt.timedelta(days=REMINDER_WINDOW_DAYS)
    due = sorted({(abs(entry.due_date - day), entry.report_year, entry.report_type)
                  for entry in read_calendar(settings.paths()["reference"])})  # fmt: skip
    if not due or due[0][0] > window:
        log.info("%s: no due date within %s days, no reminders", day, REMINDER_WINDOW_DAYS)
        return None
    _, year, report_type = due[0]
    return {"report_year": year, "report_type": report_type, "as_of_date": day.isoformat()}


def reminders(period: dict) -> dict:
    """The chase list and letter for the period, dated the run's day, under OUT/reminders/<date>/."""
    where = settings.paths()
    as_of = dt.date.fromisoformat(period["as_of_date"])
    out_dir = where["out"] / "reminders" / as_of.isoformat()
    return steps.chase_step(where["warehouse"], period["report_year"], period["report_type"], as_of, out_dir)
