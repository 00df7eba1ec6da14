#!/usr/bin/env bash
# All tests: the DagBag parse test of the Airflow DAGs (pytest in the pinned venv under target/), the
# unit and harness tests (*Test, Surefire), then the ITCases (*ITCase, Failsafe) that start a real Kafka
# broker, Flink MiniCluster, PostgreSQL, Trino, Spark and Airflow. Installs what it needs itself.
# Afterwards it checks that no process the run started is still alive (infra/bin/project-processes.py): every
# process of the run carries CLICKSTREAM_PROCESS_TAG, so the check never touches anything else on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source infra/bin/ensure-tools.sh
command -v python3 >/dev/null || bash infra/bin/airflow.sh install
export CLICKSTREAM_PROCESS_TAG="test-$(date +%s%N)-$$"
before="$(mktemp -t clickstream-procs.XXXXXX)"
trap 'rm -f "$before"' EXIT
python3 infra/bin/project-processes.py snapshot "$before" --root "$ROOT"
rc=0
bash infra/bin/airflow.sh test && mvn -B -ntp verify "$@" || rc=$?
python3 infra/bin/project-processes.py check "$before" --tag "$CLICKSTREAM_PROCESS_TAG" --root "$ROOT" --wait 60 || rc=$((rc == 0 ? 1 : rc))
exit "$rc"
