#!/usr/bin/env bash
# All tests: the DagBag parse test of the Airflow DAGs (pytest in the pinned venv under target/), the
# unit and harness tests (*Test, Surefire), then the ITCases (*ITCase, Failsafe) that start a real Kafka
# broker, Flink MiniCluster, PostgreSQL, Trino, Spark and Airflow. Installs what it needs itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
bash infra/bin/airflow.sh test
mvn -B -ntp verify "$@"
