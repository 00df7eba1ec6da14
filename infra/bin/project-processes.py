#!/usr/bin/env python3
"""The project's processes, for the leak check of infra/bin/test.sh (no third-party modules).

  project-processes.py snapshot FILE                      the project's processes now (pid, start time)
  project-processes.py check FILE --tag TAG --root DIR    fails (exit 1) if processes of this run are still
                                                          alive after --wait seconds; lists and stops them

A process belongs to this run if it carries CLICKSTREAM_PROCESS_TAG=TAG in its environment (every process the
run starts inherits it; launchers that reset the environment pass it on), or if its command line names the
repository directory together with one of the engines the project starts (Airflow, Trino, PostgreSQL, Kafka,
Spark, a java process of the build). Processes that existed before the run (the snapshot), this script and
its ancestors never count, so other users' processes and other checkouts' runs are left alone; only
processes with this run's tag are ever signalled.
"""
import os
import re
import signal
import sys
import time

TAG_ENV = b"CLICKSTREAM_PROCESS_TAG="
ENGINES = re.compile(r"airflow|io\.trino|postgres|io\.clickstream|kafka|spark|java")


def processes():
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
            rest = stat[stat.rindex(")") + 2:].split()
            state, ppid, start = rest[0], int(rest[1]), rest[19]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = f.read().split(b"\0")
            except OSError:
                env = []
            tags = [e[len(TAG_ENV):].decode() for e in env if e.startswith(TAG_ENV)]
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if state == "Z" or not cmdline:
            continue  # zombies (already dead) and kernel threads
        yield {"pid": pid, "ppid": ppid, "start": start, "cmd": cmdline, "tag": tags[0] if tags else None}


def ancestors():
    out, pid = set(), os.getpid()
    while pid > 1:
        out.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            break
    return out


def is_project(p, root):
    return p["tag"] is not None or (root in p["cmd"] and ENGINES.search(p["cmd"]))


def main(argv):
    cmd, file = argv[1], argv[2]
    opts = dict(zip(argv[3::2], argv[4::2]))
    root = opts.get("--root", os.getcwd())
    if cmd == "snapshot":
        with open(file, "w") as f:
            for p in processes():
                if is_project(p, root):
                    f.write(f"{p['pid']} {p['start']}\n")
        return 0
    tag, wait = opts["--tag"], float(opts.get("--wait", "60"))
    with open(file) as f:
        before = {tuple(line.split()) for line in f if line.strip()}
    mine = ancestors()
    t0 = time.monotonic()
    while True:
        left = [p for p in processes() if p["pid"] not in mine and (str(p["pid"]), p["start"]) not in before
                and (p["tag"] == tag or (p["tag"] is None and root in p["cmd"] and ENGINES.search(p["cmd"])))]
        waited = time.monotonic() - t0
        if not left:
            print(f"process check: no process of this run is left (waited {waited:.1f} s)")
            return 0
        if waited >= wait:
            break
        time.sleep(0.5)
    print(f"process check FAILED: {len(left)} process(es) started by this run still alive {wait:.0f} s after it ended:")
    for p in left:
        print(f"  pid {p['pid']} (parent {p['ppid']}): {p['cmd'][:300]}")
    for p in left:
        if p["tag"] == tag:
            try:
                os.kill(p["pid"], signal.SIGKILL)
            except OSError:
                pass
    print("  (those carrying this run's tag were killed)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
