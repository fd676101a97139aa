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
stop_from_pid_file Millrace "$PID_FILE" "${STOP_TIMEOUT:-90}"
