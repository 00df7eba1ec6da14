#!/usr/bin/env bash
# The data-quality report (HTML with charts) read through Trino.
# Usage: infra/bin/quality-report.sh --trino-url jdbc:trino://127.0.0.1:8080/lakehouse/clickstream --days 2026-01-05 --out report.html
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
[ -f streaming/target/runtime.classpath ] || mvn -q -B install -DskipTests
exec java -Djava.awt.headless=true -cp "streaming/target/classes:$(cat streaming/target/runtime.classpath)" \
  io.clickstream.quality.QualityReport "$@"
