"""Shared configuration of the clickstream DAGs: default arguments and job command lines.

Configuration only: no I/O at import time (environment variables are read, Airflow Variables are
referenced in Jinja and resolved when a task runs). Each task runs one versioned batch job from the
clickstream build (``infra/bin/*.sh`` pick the built jar's classpath) with explicit arguments taken
from the run: the data interval for rollups and reconciliation, the ledger for corrections.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.timetables.interval import CronDataIntervalTimetable

#: Where the clickstream build lives on the Airflow workers.
CLICKSTREAM_HOME = os.environ.get("CLICKSTREAM_HOME", "/opt/clickstream")
#: First data interval the schedules know about (catch-up is off: backfills are explicit).
START_DATE = pendulum.parse(os.environ.get("CLICKSTREAM_START_DATE", "2026-01-01T00:00:00+00:00"))
#: Wait before a failed task is retried (lowered in tests).
RETRY_DELAY = timedelta(seconds=int(os.environ.get("CLICKSTREAM_RETRY_DELAY_SECONDS", "300")))

DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 3,
    "retry_delay": RETRY_DELAY,
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=1),
}

TAGS = ["clickstream"]


def every(cron: str) -> CronDataIntervalTimetable:
    """A schedule whose runs cover the *previous* period: the run at 09:00 has the data interval
    08:00-09:00 (Airflow 3's plain cron schedules have zero-length intervals at the trigger time)."""
    return CronDataIntervalTimetable(cron, timezone="UTC")


def _var(name: str, default: str) -> str:
    """A Jinja reference to the Airflow Variable ``clickstream_<name>``, resolved at run time."""
    return "{{ var.value.get('clickstream_" + name + "', '" + default + "') }}"


#: Catalog and Kafka settings shared by every Spark job (BatchOptions), from Airflow Variables.
CONNECTION_ARGS = " ".join([
    "--jdbc-url " + _var("jdbc_url", "jdbc:postgresql://127.0.0.1:5432/iceberg_catalog"),
    "--jdbc-user " + _var("jdbc_user", "clickstream"),
    "--warehouse " + _var("warehouse", "file:///var/lib/clickstream/iceberg"),
    "--namespace " + _var("namespace", "clickstream"),
    "--bootstrap-servers " + _var("bootstrap_servers", "127.0.0.1:9092"),
    "--raw-topic " + _var("raw_topic", "clicks.raw"),
    "--late-topic " + _var("late_topic", "clicks.late"),
])

#: Trino over TLS with password authentication (the stack of infra/bin/lakehouse.sh): the BI catalog (read-only user
#: ``bi``, what the quality report reads) and the writable catalog of the ``admin`` user (table maintenance). The
#: passwords are read from the stack's password files or $CLICKSTREAM_TRINO_PASSWORD, never from a command line.
#: The URLs hold '&': always single-quote them in a shell command.
_TRINO_TLS = "?SSL=true&SSLVerification=FULL&SSLTrustStorePath=target/lakehouse/trino/security/trino.pem"
TRINO_URL = _var("trino_url", "jdbc:trino://127.0.0.1:8443/lakehouse/clickstream" + _TRINO_TLS)
TRINO_ADMIN_URL = _var("trino_admin_url", "jdbc:trino://127.0.0.1:8443/lakehouse_admin/clickstream" + _TRINO_TLS)

#: The data interval's hour and day, as the jobs' --hours/--days expect them.
INTERVAL_HOUR = "{{ data_interval_start.strftime('%Y-%m-%dT%H') }}"
INTERVAL_DAY = "{{ data_interval_start.strftime('%Y-%m-%d') }}"


#: How Spark jobs are submitted (Airflow Variables): the spark-submit command (a Spark installation's
#: bin/spark-submit, or the project's infra/bin/spark-submit.sh), the master (local[2], spark://host:7077,
#: yarn, k8s://...) and extra spark-submit arguments (e.g. --executor-memory 2g). The application jar is the
#: build's batch/target/clickstream-batch-<version>-app.jar: tasks run built artifacts, never build.
SPARK_ENV = " ".join([
    "CLICKSTREAM_SPARK_SUBMIT='" + _var("spark_submit", "infra/bin/spark-submit.sh") + "'",
    "CLICKSTREAM_SPARK_MASTER='" + _var("spark_master", "local[2]") + "'",
    "CLICKSTREAM_SPARK_SUBMIT_ARGS='" + _var("spark_submit_args", "") + "'",
])


def batch_command(job: str, args: str) -> str:
    """Shell command of one Spark batch job: infra/bin/batch.sh <job> (spark-submit of the application jar with the
    job's class) with the shared connection args."""
    return f"cd {CLICKSTREAM_HOME} && {SPARK_ENV} infra/bin/batch.sh {job} {CONNECTION_ARGS} {args}"


def lakehouse_command(script: str, args: str) -> str:
    """Shell command of a Trino-side job (maintenance, quality report)."""
    return f"cd {CLICKSTREAM_HOME} && infra/bin/{script} {args}"
