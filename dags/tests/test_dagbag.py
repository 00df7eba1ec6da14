"""DagBag parse test: the DAG files import cleanly, quickly, and are configured as documented."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from airflow.dag_processing.dagbag import DagBag

DAGS = Path(__file__).resolve().parents[1]

EXPECTED = {
    # dag_id: (schedule, max_active_runs, task ids)
    "clickstream_late_correction": ("*/15 * * * *", 1, ["correct_late_events"]),
    "clickstream_rollup_hourly": ("0 * * * *", 2, ["rollup_hour"]),
    "clickstream_rollup_daily": ("0 0 * * *", 1, ["rollup_day"]),
    "clickstream_maintenance": ("0 0 * * *", 1, ["compact", "expire_snapshots", "remove_orphan_files"]),
    "clickstream_reconciliation": ("0 * * * *", 2, ["reconcile", "quality_report"]),
}

#: DAGs without a schedule, triggered by hand: dag_id -> task ids.
MANUAL = {
    "clickstream_dlq_replay": ["replay"],
}


@pytest.fixture(scope="module")
def bag() -> DagBag:
    started = time.monotonic()
    bag = DagBag(dag_folder=str(DAGS))
    bag.parse_seconds = time.monotonic() - started
    return bag


def test_no_import_errors(bag):
    assert bag.import_errors == {}


def test_parsing_is_fast_because_there_is_no_top_level_io(bag):
    assert bag.parse_seconds < 10, f"parsing took {bag.parse_seconds:.1f} s"


def test_exactly_the_documented_dags(bag):
    assert sorted(bag.dag_ids) == sorted(list(EXPECTED) + list(MANUAL))


@pytest.mark.parametrize("dag_id", sorted(MANUAL))
def test_manual_dags_have_no_schedule(bag, dag_id):
    dag = bag.dags[dag_id]
    assert type(dag.timetable).__name__ == "NullTimetable"
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert sorted(t.task_id for t in dag.tasks) == sorted(MANUAL[dag_id])
    assert "clickstream" in dag.tags and dag.doc_md and len(dag.doc_md.strip()) > 100
    for task in dag.tasks:
        assert task.retries >= 2 and task.owner == "data-platform" and task.execution_timeout is not None


def test_dlq_replay_takes_its_selection_from_the_run(bag):
    dag = bag.dags["clickstream_dlq_replay"]
    command = dag.get_task("replay").bash_command
    assert "infra/bin/dlq-replay.sh" in command
    for name in ("reasons", "partitions", "from", "to", "repair"):
        assert "{{ params." + name + " }}" in command, name
    assert dag.params["repair"] == "none"


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_schedule_concurrency_tasks(bag, dag_id):
    schedule, max_active_runs, tasks = EXPECTED[dag_id]
    dag = bag.dags[dag_id]
    assert (getattr(dag.timetable, "_expression", None) or dag.schedule) == schedule
    if dag_id != "clickstream_late_correction":
        # Runs cover the previous hour/day: the jobs' --hours/--days come from the data interval.
        assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.max_active_runs == max_active_runs
    assert dag.catchup is False, "backfills are explicit (AirflowCli backfill / the UI)"
    assert sorted(t.task_id for t in dag.tasks) == sorted(tasks)
    for upstream, downstream in zip(tasks, tasks[1:]):
        assert downstream in dag.get_task(upstream).downstream_task_ids


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_tags_docs_retries_owner(bag, dag_id):
    dag = bag.dags[dag_id]
    assert "clickstream" in dag.tags and len(dag.tags) >= 2
    assert dag.doc_md and len(dag.doc_md.strip()) > 100
    for task in dag.tasks:
        assert task.retries >= 2, task.task_id
        assert task.owner == "data-platform"
        assert task.execution_timeout is not None


def test_jobs_get_explicit_intervals_never_now(bag):
    hourly = bag.dags["clickstream_rollup_hourly"].get_task("rollup_hour").bash_command
    assert "--hours {{ data_interval_start.strftime('%Y-%m-%dT%H') }}" in hourly
    daily = bag.dags["clickstream_rollup_daily"].get_task("rollup_day").bash_command
    assert "--days {{ data_interval_start.strftime('%Y-%m-%d') }}" in daily
    correct = bag.dags["clickstream_late_correction"].get_task("correct_late_events").bash_command
    assert "infra/bin/batch.sh correct" in correct and "--run-id" in correct
    assert "CLICKSTREAM_SPARK_MASTER='{{ var.value.get('clickstream_spark_master', 'local[2]') }}'" in correct
    for dag in bag.dags.values():
        for task in dag.tasks:
            assert "now()" not in task.bash_command
            assert "{{ var.value.get('clickstream_" in task.bash_command, "settings come from Airflow Variables"


def test_deployment_variables_are_the_ones_the_dags_read():
    """infra/deploy/airflow/variables.json (a production cluster's Airflow Variables) names only Variables the DAGs read."""
    import json
    import re

    read = set()
    for f in DAGS.glob("*.py"):
        read.update("clickstream_" + name for name in re.findall(r'_var\("([a-z_]+)"', f.read_text()))
    example = json.loads((DAGS.parent / "infra" / "deploy" / "airflow" / "variables.json").read_text())
    assert set(example) <= read, set(example) - read
    assert {"clickstream_spark_submit", "clickstream_spark_master"} <= set(example)
