#!/usr/bin/env bash
# Stop the 3-node Kafka cluster started by start-kafka-cluster.sh: SIGTERM to every node at once
# (each broker's controlled shutdown needs the others' controllers), wait for all to exit.
#   usage: stop-kafka-cluster.sh [BASE_PORT]     (default 19292: nodes on 19292-19294)
#   env:   WIPE=1 also deletes the data root (/tmp/kafka-bench/kafka-cluster-BASE_PORT or DATA_ROOT)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
BASE_PORT="${1:-19292}"
rc=0; jobs_=()
for i in 0 1 2; do
  port=$((BASE_PORT + i))
  [[ -f "$KAFKA_BENCH_HOME/run-$port/kafka.pid" ]] || continue
  "$HERE/stop-kafka.sh" "$port" >/dev/null & jobs_+=($!)
done
for j in "${jobs_[@]}"; do wait "$j" || rc=1; done
[[ "${WIPE:-0}" == 1 ]] && rm -rf "${DATA_ROOT:-$KAFKA_BENCH_HOME/kafka-cluster-$BASE_PORT}"
exit $rc
