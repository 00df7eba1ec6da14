#!/usr/bin/env bash
# A real multi-process cluster on this machine, from the build's artifacts (io.clickstream.infra.cluster.LocalCluster):
# 3 KRaft Kafka nodes (replication 3, min.insync.replicas 2), a Flink standalone session cluster (1 JobManager,
# 2 TaskManagers), a Spark standalone master and worker, PostgreSQL (Iceberg catalog) and Trino; every listener on
# 127.0.0.1, every process in its own process group, stopped by `down`.
# Usage: infra/bin/cluster.sh up [--option value ...] | down | status      (up --help lists the options)
# After `up`, target/cluster/cluster.env holds the endpoints (source it): submit the job with Flink's CLI
#   FLINK_CONF_DIR=$FLINK_CONF_DIR infra/bin/flink.sh run -d streaming/target/clickstream-streaming-*-job.jar --kafka.bootstrap-servers $KAFKA_BOOTSTRAP_SERVERS ...
# and the batch jobs with CLICKSTREAM_SPARK_MASTER=$SPARK_MASTER infra/bin/batch.sh <job> ...
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/artifacts.sh
cmd="${1:-status}"; shift || true
dir=target/cluster
for ((i = 1; i <= $#; i++)); do [ "${!i}" = "--dir" ] && { j=$((i + 1)); dir="${!j}"; }; done
pidfile="$dir/supervisor.pid"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
  up)
    if running; then echo "cluster already running (supervisor pid $(cat "$pidfile")); see $dir/cluster.env"; exit 0; fi
    jar=$(artifact infra/cluster clickstream-cluster runnable)
    mkdir -p "$dir"
    rm -f "$dir/cluster.env"
    # Own session and process group, detached from this shell; it stops its processes on SIGTERM.
    setsid nohup java -Xmx512m -cp "$jar" io.clickstream.infra.cluster.LocalCluster --dir "$dir" "$@" \
      > "$dir/supervisor.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    echo "starting the cluster (supervisor pid $(cat "$pidfile"), log $dir/supervisor.log) ..."
    while [ ! -f "$dir/cluster.env" ]; do
      if ! running; then echo "cluster failed to start:" >&2; tail -n 40 "$dir/supervisor.log" >&2; exit 1; fi
      sleep 1
    done
    cat "$dir/supervisor.log"
    ;;
  down)
    if ! running; then echo "cluster not running"; rm -f "$pidfile"; exit 0; fi
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then echo "supervisor $pid did not stop in 120 s; killing its group" >&2; kill -KILL -- "-$pid" || true; fi
    rm -f "$pidfile" "$dir/cluster.env"
    echo "cluster stopped"
    ;;
  status)
    if ! running; then echo "cluster not running"; exit 3; fi
    echo "supervisor pid $(cat "$pidfile")"
    cat "$dir/cluster.env" 2>/dev/null || echo "(starting)"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 64 ;;
esac
