#!/usr/bin/env bash
# The data-quality report (HTML with charts) read through Trino.
# Usage: infra/bin/quality-report.sh --days 2026-01-05 --out report.html [--trino-url jdbc:trino://...] [--trino-password-file f]
# Defaults: the long-running stack of lakehouse.sh as the read-only user bi, password from
# target/lakehouse/trino/security/bi.password or $CLICKSTREAM_TRINO_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/artifacts.sh
jar=$(artifact quality clickstream-quality runnable)
exec java -Djava.awt.headless=true -jar "$jar" "$@"
