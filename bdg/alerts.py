"""The failure alert of every BDG task: a JSON file per failed try under OUT/alerts/, and an e-mail through
the SMTP provider's notifier (connection `bdg_smtp`) to the addresses of the Airflow variable
`bdg_alert_emails` (or env `BDG_ALERT_EMAILS`) when both are configured.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re

from bdg import settings
from ingest.atomic import write_json
from ingest.periods import LOCAL_TZ

log = logging.getLogger(__name__)

SMTP_CONN_ID = "bdg_smtp"
ALERT_EMAILS_VARIABLE = "bdg_alert_emails"


def alert_on_failure(context) -> None:
    """on_failure_callback: write the alert file, then e-mail it when `bdg_smtp` and recipients exist.
    Never raises: an alert must not hide the failure itself."""
    try:
        alert = alert_record(context)
        path = write_json(settings.paths()["alerts"] / f"{_file_key(alert)}.json", alert)
        log.error("BDG alert written to %s", path)
    except Exception:  # noqa: BLE001 — the callback must not fail the failure handling
        log.exception("could not write the BDG alert")
        return
    try:
        send_alert_email(alert, context)
    except Exception:  # noqa: BLE001
        log.exception("could not e-mail the BDG alert (written to %s)", path)


def alert_record(context) -> dict:
    """What failed, where and when (local time), from the task context."""
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
        "failed_at": dt.datetime.now(LOCAL_TZ).isoformat(timespec="seconds"),
        "error": f"{type(exception).__name__}: {exception}" if exception is not None else None,
        "log_url": getattr(ti, "log_url", None),
    }


def _file_key(alert: dict) -> str:
    stamp = alert["failed_at"].replace(":", "").replace("+", "p")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{stamp}__{alert['dag_id']}__{alert['task_id']}__try{alert['try_number']}")


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


def smtp_configured() -> bool:
    """True when the `bdg_smtp` Airflow connection exists."""
    try:
        from airflow.sdk import BaseHook

        BaseHook.get_connection(SMTP_CONN_ID)
    except Exception:  # noqa: BLE001 — AirflowNotFoundException and friends: no e-mail then
        return False
    return True


def send_alert_email(alert: dict, context=None) -> bool:
    """E-mail the alert with the SMTP provider's notifier; False (nothing sent) without connection or recipients."""
    recipients = alert_recipients()
    if not recipients or not smtp_configured():
        return False
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    body = "<pre>" + json.dumps(alert, ensure_ascii=False, indent=2).replace("&", "&amp;").replace("<", "&lt;")
    notifier = SmtpNotifier(
        to=recipients,
        subject=f"[BĐG] Lỗi {alert['dag_id']}.{alert['task_id']} (lần {alert['try_number']})",
        html_content=body + "</pre>",
        smtp_conn_id=SMTP_CONN_ID,
    )
    notifier.notify(context or {})
    return True
