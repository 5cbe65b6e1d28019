# The BĐG warehouse image: the project and its locked environment (uv.lock), run as Airflow's components
# by docker-compose.yml (api-server, scheduler, dag-processor, triggerer, celery worker, init).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/bdg/.venv \
    AIRFLOW_HOME=/opt/airflow \
    BDG_PROJECT_DIR=/opt/bdg

# curl for the healthchecks, tini to reap the task processes of the workers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl tini \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home airflow

WORKDIR /opt/bdg
# Dependencies first (cached while only the code changes), exactly as locked, without the dev group.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev \
    && mkdir -p /data/inbox /data/warehouse /data/out /opt/airflow/logs /opt/airflow/config \
    && chown -R 50000:0 /opt/airflow /data /opt/bdg/dbt_project \
    && chmod -R g+rwX /opt/airflow /data /opt/bdg/dbt_project

ENV PATH=/opt/bdg/.venv/bin:$PATH \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/bdg/dags \
    BDG_INBOX=/data/inbox \
    BDG_WAREHOUSE=/data/warehouse/bdg.duckdb \
    BDG_OUT_DIR=/data/out

USER 50000
ENTRYPOINT ["/usr/bin/tini", "--", "airflow"]
CMD ["version"]
