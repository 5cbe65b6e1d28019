"""The bodies of the BDG DAGs' tasks: each is one call into `bdg.steps` or the ingest drivers, with the
paths from the environment (`bdg.settings.paths`) and the dates from the run.

Tasks are keyed by the run's as-of date (the `as_of_date` param, else the local date the data interval
ends), never by the clock, so a re-run of a past date reproduces it.
"""

from __future__ import annotations

import datetime as dt
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
