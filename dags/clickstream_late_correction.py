"""Late-event correction every 15 minutes."""
from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from clickstream_common import DEFAULT_ARGS, START_DATE, TAGS, batch_command

with DAG(
    dag_id="clickstream_late_correction",
    description="Apply clicks.late to page_minute_agg and the affected hour/day rollups",
    schedule="*/15 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["batch", "correction"],
    doc_md="""
### Late-event correction

Runs `LateCorrectionJob` (Spark): reads the next offset range of `clicks.late` (from where the
`correction_ledger` says the last run ended to the topic's end), recomputes the affected
`page_minute_agg` rows from `events_dedup` and MERGEs the absolute values, re-rolls the affected hours
and days, records the range in the ledger.

* **Idempotent:** values are recomputed, never incremented; re-running a range changes nothing.
* **No catch-up:** every run picks up all outstanding late events, so missed runs need no replay.
  `max_active_runs=1` keeps ranges sequential.
* **Fails safely** (and is retried) when a late event is not yet committed to `events_dedup`, or
  when its MERGE keeps losing commit races with the streaming writer.
* Re-run a past range explicitly with `infra/bin/batch.sh correct --from-offsets ... --until-offsets ...`.
""",
) as dag:
    BashOperator(
        task_id="correct_late_events",
        bash_command=batch_command("correct", "--run-id '{{ run_id }}'"),
    )
