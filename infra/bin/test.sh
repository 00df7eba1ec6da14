#!/usr/bin/env bash
# All tests: unit and harness tests (*Test, Surefire), then the ITCases (*ITCase, Failsafe) that start a
# real Kafka broker, a Flink MiniCluster and a Paimon warehouse. Installs what it needs itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -B -ntp verify "$@"
