#!/usr/bin/env bash
# Makes sure a JDK 17, Maven and the PostgreSQL server are installed; installs the Debian packages if
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
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} (Debian packages) ..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Flink 2.0 and Spark 3.5 are built and tested on Java 17: prefer it when several JDKs are installed.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "17'; then
  for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-*; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; break; fi
  done
fi
