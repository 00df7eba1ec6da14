#!/usr/bin/env bash
# Makes sure a JDK 17, Maven, the PostgreSQL server, Prometheus and Chromium are installed; installs the Debian packages if
# they are missing. Sourced by the other scripts. Everything else (Kafka, Flink, Paimon, Iceberg, the
# Trino server) comes from Maven; Trino runs on the newest JDK >= 22 under /usr/lib/jvm.
set -euo pipefail

need_apt=()
if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -qE 'version "(17|1[89]|2[0-9])'; then
  need_apt+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
# The Iceberg JDBC catalog of the serving layer lives in a local PostgreSQL (started by the project itself).
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need_apt+=(postgresql)
# Prometheus (server and promtool) scrapes the job's and the API's metrics; the project starts it itself.
need_recommends_off=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need_recommends_off+=(prometheus)
# Headless Chromium takes the Superset dashboard's screenshot (ServingITCase).
command -v chromium >/dev/null 2>&1 || need_recommends_off+=(chromium)
if [ ${#need_apt[@]} -gt 0 ] || [ ${#need_recommends_off[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} ${need_recommends_off[*]} (Debian packages) ..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  if [ ${#need_apt[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
  # Without the recommended node exporter. On a machine with systemd the package also enables its own
  # prometheus.service (all interfaces, port 9090); the project never uses it: `systemctl disable --now prometheus`.
  if [ ${#need_recommends_off[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_recommends_off[@]}" >/dev/null
  fi
fi

# Flink 2.0 and Spark 3.5 are built and tested on Java 17: prefer it when several JDKs are installed.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "17'; then
  for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-*; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; break; fi
  done
fi
