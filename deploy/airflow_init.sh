#!/usr/bin/env bash
# One-shot `airflow-init` of docker-compose.yml (runs as root, before every other Airflow service): migrate the
# metadata DB (Airflow's tables and the FAB auth manager's), create the one-writer pool and the first
# administrator, create the data folders and hand them to AIRFLOW_UID. Idempotent: every `up` runs it again.
# No secret is passed on a command line: create_admin.py reads the administrator's password from the environment.
set -euo pipefail

airflow db migrate
airflow fab-db migrate
airflow pools set bdg_warehouse 1 "DuckDB has one writer"
python "$(dirname "$0")/create_admin.py"

if [ "${BDG_INIT_SKIP_FOLDERS:-0}" != "1" ]; then
  mkdir -p "${BDG_INBOX}" "$(dirname "${BDG_WAREHOUSE}")" "${BDG_STAGING_DIR}" "${BDG_OUT_DIR}/alerts" \
    "${AIRFLOW_HOME}/logs"
  chown -R "${AIRFLOW_UID:-50000}:0" "${BDG_INBOX}" "$(dirname "${BDG_WAREHOUSE}")" "${BDG_OUT_DIR}" \
    "${AIRFLOW_HOME}/logs" "${AIRFLOW_HOME}/config"
fi
airflow version
