# Shared by the long benchmark scripts (bench/batch/run.sh, bench/toolbox/run.sh): log lines with the
# time, skip a step whose output exists (unless FORCE=1), and run a step under /usr/bin/time -v with
# its stdout/stderr in $LOGS/NAME.{out,err} and the load average before and after in $LOGS/NAME.load.
# Source it after setting LOGS and FORCE.

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
have() { [ "$FORCE" != 1 ] && [ -e "$1" ]; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# run NAME CMD...
run() {
  local name=$1
  shift
  log "$name: $*"
  echo "before $(loadavg) $(date -u +%FT%TZ)" >"$LOGS/$name.load"
  local rc=0
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || rc=$?
  echo "after $(loadavg) $(date -u +%FT%TZ)" >>"$LOGS/$name.load"
  if [ $rc -ne 0 ]; then
    log "$name FAILED (exit $rc); last lines of $LOGS/$name.err:"
    tail -n 5 "$LOGS/$name.err" >&2
    return $rc
  fi
}
