#!/usr/bin/env bash
# Start a 3-node Apache Kafka cluster on loopback: KRaft, every node a combined broker+controller
# (a 3-voter metadata quorum), 1 GiB heap each, internal topics with replication factor 3.
#   usage: start-kafka-cluster.sh [BASE_PORT] [DATA_ROOT]
#          e.g. start-kafka-cluster.sh 19292            (brokers 19292-19294, controllers 19392-19394)
#   Node i (1..3) listens on BASE_PORT+i-1 (default BASE_PORT 19292) and CONTROLLER_BASE+i-1
#   (default BASE_PORT+100), keeps its data in DATA_ROOT/node-i (default
#   /tmp/kafka-bench/kafka-cluster-BASE_PORT) and its run dir in /tmp/kafka-bench/run-PORT
#   (start-kafka.sh's, so stop-kafka.sh PORT stops one node). Waits until every node logged
#   "Kafka Server started"; on failure stops the nodes it launched.
#   stdout: the bootstrap list, then the three PIDs, on one line: "127.0.0.1:19292,... PID1 PID2 PID3"
#   env: FRESH=1 wipes the data dirs first; START_TIMEOUT=180; KAFKA_HEAP_OPTS as for start-kafka.sh
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
BASE_PORT="${1:-19292}"
DATA_ROOT="${2:-$KAFKA_BENCH_HOME/kafka-cluster-$BASE_PORT}"
CONTROLLER_BASE="${CONTROLLER_BASE:-$((BASE_PORT + 100))}"
NODES=3
ensure_libs || exit 1

ports=(); voters=()
for i in $(seq 1 $NODES); do
  ports+=($((BASE_PORT + i - 1)))
  voters+=("$i@127.0.0.1:$((CONTROLLER_BASE + i - 1))")
done
VOTERS=$(IFS=,; echo "${voters[*]}")
BOOTSTRAP=$(printf '127.0.0.1:%s,' "${ports[@]}"); BOOTSTRAP=${BOOTSTRAP%,}
CLUSTER_ID=$("$JAVA" -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$TOOL_LOG4J" kafka.tools.StorageTool random-uuid) || exit 1

pids=()
fail() {
  echo "[bench] Kafka cluster did not start: $*; stopping its nodes" >&2
  for p in "${ports[@]}"; do "$HERE/stop-kafka.sh" "$p" >/dev/null 2>&1 & done
  wait
  exit 1
}
for i in $(seq 1 $NODES); do
  port=${ports[$((i - 1))]}
  pid=$(WAIT=0 NODE_ID=$i CONTROLLER_PORT=$((CONTROLLER_BASE + i - 1)) QUORUM_VOTERS="$VOTERS" \
        CLUSTER_ID="$CLUSTER_ID" INTERNAL_RF=$NODES "$HERE/start-kafka.sh" "$port" "$DATA_ROOT/node-$i") \
    || fail "node $i did not launch"
  pids+=("$pid")
done
# the nodes need each other (a quorum of controllers) before any says it started: wait for all
for i in $(seq 1 $NODES); do
  port=${ports[$((i - 1))]}
  await_broker "Kafka node $i" "${pids[$((i - 1))]}" "$port" "$KAFKA_BENCH_HOME/run-$port/logs/server.log" \
    "Kafka Server started" "${START_TIMEOUT:-180}" || fail "node $i is not up"
done
echo "[bench] Kafka cluster up: $BOOTSTRAP (PIDs ${pids[*]}, cluster id $CLUSTER_ID)" >&2
echo "$BOOTSTRAP ${pids[*]}"
