#!/usr/bin/env bash
# Stop the 3-broker Millrace cluster started by start-millrace-cluster.sh: SIGTERM to every broker
# at once, wait for all to exit (each first tries to move its leaderships, up to
# controlled.shutdown.timeout.ms).
#   usage: stop-millrace-cluster.sh [BASE_PORT]   (default 29292: brokers on 29292-29294)
#   env:   WIPE=1 also deletes the data root (/tmp/kafka-bench/millrace-cluster-BASE_PORT or DATA_ROOT)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
BASE_PORT="${1:-29292}"
rc=0; jobs_=()
for i in 0 1 2; do
  port=$((BASE_PORT + i))
  [[ -f "$KAFKA_BENCH_HOME/millrace-$port/millrace.pid" ]] || continue
  "$HERE/stop-millrace.sh" "$port" >/dev/null & jobs_+=($!)
done
for j in "${jobs_[@]}"; do wait "$j" || rc=1; done
[[ "${WIPE:-0}" == 1 ]] && rm -rf "${DATA_ROOT:-$KAFKA_BENCH_HOME/millrace-cluster-$BASE_PORT}"
exit $rc
