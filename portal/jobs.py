"""The period-report button: through Airflow's REST API when Airflow runs (`BDG_AIRFLOW_API_URL`,
with `BDG_AIRFLOW_USERNAME` / `BDG_AIRFLOW_PASSWORD` of an Airflow account allowed to trigger DAGs),
else in this process with `bdg.steps.period_report_step`, in a background thread that holds the
portal's warehouse gate (dbt rebuilds the marts for today — always, since uploads are loaded at once —
then the checks and the reports)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ingest.periods import LOCAL_TZ, local_today

DAG_ID = "bdg_period_report"


@dataclass
class Job:
    report_year: int
    report_type: str
    requested_by: str
    started_at: dt.datetime
    via: str  # 'airflow' or 'in-process'
    state: str = "running"  # running, success, failed, queued (Airflow)
    detail: str = ""
    outputs: dict = field(default_factory=dict)


class ReportJobs:
    """At most one in-process report at a time; the last job per period is remembered for the page."""

    def __init__(self, warehouse: Path, out_dir: Path, gate):
        self.warehouse, self.out_dir, self.gate = Path(warehouse), Path(out_dir), gate
        self.jobs: dict[tuple[int, str], Job] = {}
        self._lock = threading.Lock()

    def trigger(self, report_year: int, report_type: str, login: str) -> Job:
        url = os.environ.get("BDG_AIRFLOW_API_URL")
        job = Job(report_year, report_type, login, dt.datetime.now(LOCAL_TZ), "airflow" if url else "in-process")
        with self._lock:
            running = self.jobs.get((report_year, report_type))
            if running is not None and running.state == "running" and running.via == "in-process":
                return running
            self.jobs[(report_year, report_type)] = job
        if url:
            try:
                run_id = trigger_airflow(url, report_year, report_type)
                job.state, job.detail = "queued", f"Airflow dag_run_id: {run_id}"
            except Exception as error:  # noqa: BLE001 — shown to the officer, who can retry
                job.state, job.detail = "failed", f"Không gọi được Airflow: {type(error).__name__}"
            return job
        threading.Thread(target=self._run, args=(job,), name="bdg-period-report", daemon=True).start()
        return job

    def _run(self, job: Job) -> None:
        from bdg.steps import period_report_step, transform_step

        try:
            with self.gate.hold(timeout=600):
                # Always rebuilt: the portal loads uploads at once, so marts built earlier today are stale
                # (period_report_step alone keeps marts already built for today's date).
                today = local_today()
                transform_step(self.warehouse, today)
                written = period_report_step(self.warehouse, job.report_year, job.report_type, today, self.out_dir)
            job.outputs = {key: str(value) for key, value in written.items()}
            job.state = "success"
            job.detail = "" if written.get("publishable") else "Còn lỗi trong kiểm tra dữ liệu: báo cáo ở bản dự thảo."
        except Exception as error:  # noqa: BLE001 — the page shows it
            job.state, job.detail = "failed", str(error)[:500]


def trigger_airflow(base_url: str, report_year: int, report_type: str) -> str:
    """POST a dag run of bdg_period_report with params year/period (Airflow 3's /api/v2, a JWT from
    /auth/token). Returns the dag_run_id. Raises on any HTTP or network error."""
    base = base_url.rstrip("/")
    credentials = {"username": os.environ.get("BDG_AIRFLOW_USERNAME", ""),
                   "password": os.environ.get("BDG_AIRFLOW_PASSWORD", "")}  # fmt: skip
    token = _post(f"{base}/auth/token", credentials)["access_token"]
    body = {"logical_date": None, "conf": {"year": report_year, "period": report_type}}
    return _post(f"{base}/api/v2/dags/{DAG_ID}/dagRuns", body, token)["dag_run_id"]


def _post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — an operator-set URL
        return json.loads(response.read())
