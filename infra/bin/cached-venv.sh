#!/usr/bin/env bash
# Sourced by airflow.sh and superset.sh: cached_venv NAME LOCKFILE VENV
# Makes VENV (target/<name>/venv of this checkout) a symbolic link to a virtual environment with exactly the pinned
# packages of LOCKFILE, kept in the machine's clickstream cache ($CLICKSTREAM_CACHE, default ~/.cache/clickstream, where
# the Trino server is kept too) under a key of the lock file's content and the Python version: a fresh checkout or
# `make clean` reuses it instead of spending minutes on pip (Superset ~2 min, Airflow ~1 min). A changed lock file is
# a new key, hence a new environment; an environment whose install did not finish (no .installed-lock) is rebuilt.
# Concurrent installs of the same key (two checkouts, two test JVMs) wait for each other (flock).

cached_venv() {
  local name="$1" lock="$2" venv="$3"
  local cache="${CLICKSTREAM_CACHE:-$HOME/.cache/clickstream}"
  # Replaced below in any case; removed first so that python3 is the machine's, not this stale environment's.
  rm -rf "$venv"
  local key
  key="$({ cat "$lock"; python3 -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)"
  local dir="$cache/$name-venv-$key"
  mkdir -p "$cache"
  (
    flock 9
    if ! { [ -x "$dir/bin/python" ] && cmp -s "$lock" "$dir/.installed-lock"; }; then
      local t0=$SECONDS
      echo "Installing $name into $dir (pinned: $lock) ..."
      rm -rf "$dir"
      python3 -m venv "$dir"
      "$dir/bin/pip" install -q --disable-pip-version-check -r "$lock"
      cp "$lock" "$dir/.installed-lock"
      echo "$name installed in $((SECONDS - t0)) s"
    fi
  ) 9>"$dir.lock"
  mkdir -p "$(dirname "$venv")"
  ln -sfn "$dir" "$venv"
}
