"""Daily Iceberg table maintenance through Trino."""
from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from clickstream_common import DEFAULT_ARGS, every, INTERVAL_DAY, START_DATE, TAGS, TRINO_ADMIN_URL, lakehouse_command

with DAG(
    dag_id="clickstream_maintenance",
    description="Compaction of the closed day, snapshot expiry, orphan-file removal",
    schedule=every("0 0 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["maintenance", "iceberg"],
    doc_md="""
### Table maintenance

Runs `TableMaintenance` through Trino on every serving table, one step per task:

1. `compact`: rewrite the small files of the data interval's day (a closed day, so it does not race
   the stream's commits; upserted tables are compacted whole, which is what drops their equality deletes).
2. `expire_snapshots`: snapshots older than 7 days and the files only they referenced.
3. `remove_orphan_files`: unreferenced files older than 7 days.

Each step is idempotent and retried on commit conflicts.
""",
) as dag:
    steps = {
        "compact": "--steps compact --dt " + INTERVAL_DAY,
        "expire_snapshots": "--steps expire_snapshots --snapshot-retention 7d",
        "remove_orphan_files": "--steps remove_orphan_files --orphan-retention 7d",
    }
    previous = None
    for step, args in steps.items():
        task = BashOperator(
            task_id=step,
            bash_command=lakehouse_command("maintenance.sh", "--trino-url '" + TRINO_ADMIN_URL + "' " + args),
        )
        if previous is not None:
            previous >> task
        previous = task
