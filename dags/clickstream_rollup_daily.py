"""Daily rollup of the previous day."""
from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from clickstream_common import DEFAULT_ARGS, every, INTERVAL_DAY, START_DATE, TAGS, batch_command

with DAG(
    dag_id="clickstream_rollup_daily",
    description="page_day_agg and every page_hour_agg hour of the data interval's day",
    schedule=every("0 0 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["batch", "rollup"],
    doc_md="""
### Daily rollup

Runs `RollupJob --days <data interval day>`: `page_day_agg` for the day and all 24 hours of
`page_hour_agg`, rebuilt from `events_dedup` (MERGE; absolute values; vanished keys deleted).
Idempotent: backfilling a day replaces exactly that day.
""",
) as dag:
    BashOperator(
        task_id="rollup_day",
        bash_command=batch_command("rollup", "--days " + INTERVAL_DAY),
    )
