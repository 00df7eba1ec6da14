"""Hourly rollup of the previous hour."""
from __future__ import annotations

from datetime import timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from clickstream_common import DEFAULT_ARGS, every, INTERVAL_HOUR, START_DATE, TAGS, batch_command

with DAG(
    dag_id="clickstream_rollup_hourly",
    description="page_hour_agg for the data interval's hour",
    schedule=every("0 * * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=2,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["batch", "rollup"],
    doc_md="""
### Hourly rollup

Runs `RollupJob --hours <data interval hour>`: `page_hour_agg` rebuilt from `events_dedup` for exactly
that hour (MERGE of absolute values; exact unique users and an HLL sketch). Idempotent; backfill a
range with `AirflowCli backfill clickstream_rollup_hourly <from> <to>` (or the UI), it re-runs cleanly.
Events that arrive later than this run are folded in by the late-event correction, which re-rolls the
hours it touches.
""",
) as dag:
    BashOperator(
        task_id="rollup_hour",
        bash_command=batch_command("rollup", "--hours " + INTERVAL_HOUR),
        execution_timeout=timedelta(minutes=30),
    )
