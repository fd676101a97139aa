#!/usr/bin/env bash
# Stop the broker started by start-millrace.sh (by the PID it recorded): SIGTERM, wait for the exit.
#   usage: stop-millrace.sh PORT       (PORT picks RUN_DIR=/tmp/kafka-bench/millrace-PORT)
#   or:    PID_FILE=/path/millrace.pid stop-millrace.sh
#   env:   STOP_TIMEOUT=90 seconds before SIGKILL (a cluster member's clean stop first moves its
#          leaderships away, up to controlled.shutdown.timeout.ms); SIGNAL=KILL kills at once
#   stdout: how long the clean stop took, in ms (nothing with SIGNAL=KILL)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [[ -z "${PID_FILE:-}" ]]; then
  PORT="${1:?usage: stop-millrace.sh PORT}"
  PID_FILE="${RUN_DIR:-$KAFKA_BENCH_HOME/millrace-$PORT}/millrace.pid"
fi
[[ -f "$PID_FILE" ]] || { echo "[bench] no pid file $PID_FILE" >&2; exit 1; }
PID="$(cat "$PID_FILE")"
rc=0
if [[ "${SIGNAL:-TERM}" == KILL ]]; then
  if alive "$PID"; then kill -KILL "$PID"; while alive "$PID"; do sleep 0.05; done; echo "[bench] killed Millrace PID $PID" >&2
  else echo "[bench] Millrace PID $PID not running" >&2; fi
else
  stop_pid Millrace "$PID" "${STOP_TIMEOUT:-90}" || rc=1
fi
rm -f "$PID_FILE"
exit $rc
