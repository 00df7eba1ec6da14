"""Hourly reconciliation of Kafka offsets against the tables, then the quality report."""
from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from clickstream_common import (DEFAULT_ARGS, every, INTERVAL_DAY, INTERVAL_HOUR, START_DATE, TAGS, TRINO_URL,
                                batch_command, lakehouse_command)

with DAG(
    dag_id="clickstream_reconciliation",
    description="Offsets of clicks.raw vs raw_events + dlq_events per partition and hour; quality report",
    schedule=every("0 * * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=2,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["batch", "quality"],
    doc_md="""
### Reconciliation and quality report

1. `reconcile`: `ReconciliationJob --hours <data interval hour>` writes `reconciliation` (per raw
   partition: Kafka offset range vs raw + DLQ rows; duplicates and late events counted on top) and
   `quality_metrics` (z-scores). The task **fails** when any offset is unexplained, so the run is red.
2. `quality_report`: the HTML report of the interval's day (`clickstream_report_dir` Variable).
""",
) as dag:
    reconcile = BashOperator(
        task_id="reconcile",
        bash_command=batch_command("reconcile", "--hours " + INTERVAL_HOUR),
    )
    report = BashOperator(
        task_id="quality_report",
        bash_command=lakehouse_command(
            "quality-report.sh",
            "--trino-url '" + TRINO_URL + "' --days " + INTERVAL_DAY
            + " --out {{ var.value.get('clickstream_report_dir', '/var/lib/clickstream/reports') }}/" + INTERVAL_DAY + ".html",
        ),
    )
    reconcile >> report
