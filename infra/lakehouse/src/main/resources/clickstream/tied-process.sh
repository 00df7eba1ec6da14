# Runs a server tied to the launching JVM (see TiedProcess). Arguments: <pid-file> <first-signal> <grace-seconds> <command...>
# The command runs in its own process group (set -m), with SIGINT not ignored. The whole group is stopped
# (first signal, then TERM, then KILL, each after up to <grace-seconds> while any member is still alive)
# when stdin (a pipe from the JVM) closes - also when the JVM dies, even by SIGKILL -, when this wrapper gets
# INT/TERM/HUP (Ctrl-C), and, for stragglers, when the command itself exits.
set -m
exec 3<&0
pidfile=$1 first=$2 grace=$3
shift 3
"$@" </dev/null &
child=$!
echo "$child" > "$pidfile"
alive() {
  ps -e -o pgid= -o stat= | awk -v g="$child" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}
stop() {
  for sig in "$first" TERM KILL; do
    kill -s "$sig" -- "-$child" 2>/dev/null || return 0
    i=0
    while [ "$i" -lt $((grace * 10)) ]; do
      alive || return 0
      sleep 0.1
      i=$((i + 1))
    done
    echo "tied-process: group $child still alive $grace s after SIG$sig" >&2
  done
}
trap 'stop; exit 143' INT TERM HUP
{ cat <&3 >/dev/null; stop; } &
watchdog=$!
wait "$child"
rc=$?
stop
kill -- "-$watchdog" 2>/dev/null
exit "$rc"
