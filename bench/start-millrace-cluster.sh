#!/usr/bin/env bash
# Start a 3-broker Millrace cluster on loopback (bin/millrace broker --cluster, one process per
# broker, started with start-millrace.sh: the same heap and JVM flags as Kafka's nodes).
#   usage: start-millrace-cluster.sh [BASE_PORT] [DATA_ROOT]
#          e.g. start-millrace-cluster.sh 29292     (Kafka listeners 29292-29294, cluster ports 29392-29394)
#   Broker i (1..3): node.id=i, listener 127.0.0.1:BASE_PORT+i-1 (default BASE_PORT 29292),
#   cluster.host=127.0.0.1, cluster.port=CLUSTER_BASE+i-1 (default BASE_PORT+100), cluster.join=
#   all three, cluster.name=bench-BASE_PORT, data in DATA_ROOT/broker-i (default
#   /tmp/kafka-bench/millrace-cluster-BASE_PORT), run dir /tmp/kafka-bench/millrace-PORT (so
#   stop-millrace.sh PORT stops one broker). The brokers are launched together (no controller is
#   elected before three have joined) and the script waits until each logged "Millrace broker N
#   started"; on failure it stops the brokers it launched.
#   stdout: the bootstrap list, then the three PIDs, on one line: "127.0.0.1:29292,... PID1 PID2 PID3"
#   env: FRESH=1 wipes the data dirs first; START_TIMEOUT=180; MILLRACE_CONFIG, MILLRACE_CDS,
#        MILLRACE_HEAP_OPTS as for start-millrace.sh; EXTRA_OVERRIDES="k=v k=v" for every broker
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
BASE_PORT="${1:-29292}"
DATA_ROOT="${2:-$KAFKA_BENCH_HOME/millrace-cluster-$BASE_PORT}"
CLUSTER_BASE="${CLUSTER_BASE:-$((BASE_PORT + 100))}"
NODES=3
ensure_millrace_jar || exit 1

ports=(); members=()
for i in $(seq 1 $NODES); do
  ports+=($((BASE_PORT + i - 1)))
  members+=("127.0.0.1:$((CLUSTER_BASE + i - 1))")
done
JOIN=$(IFS=,; echo "${members[*]}")
BOOTSTRAP=$(printf '127.0.0.1:%s,' "${ports[@]}"); BOOTSTRAP=${BOOTSTRAP%,}
for i in $(seq 1 $NODES); do
  p=$((CLUSTER_BASE + i - 1))
  if port_open "$p"; then echo "[bench] cluster port $p already in use" >&2; exit 1; fi
done
extra=()
for kv in ${EXTRA_OVERRIDES:-}; do extra+=(--override "$kv"); done

pids=()
fail() {
  echo "[bench] Millrace cluster did not start: $*; stopping its brokers" >&2
  for p in "${ports[@]}"; do SIGNAL=KILL "$HERE/stop-millrace.sh" "$p" >/dev/null 2>&1 & done
  wait
  exit 1
}
for i in $(seq 1 $NODES); do
  port=${ports[$((i - 1))]}
  pid=$(WAIT=0 "$HERE/start-millrace.sh" "$port" "$DATA_ROOT/broker-$i" --cluster \
        --override "node.id=$i" \
        --override "cluster.name=bench-$BASE_PORT" \
        --override "cluster.host=127.0.0.1" \
        --override "cluster.port=$((CLUSTER_BASE + i - 1))" \
        --override "cluster.join=$JOIN" \
        "${extra[@]}") || fail "broker $i did not launch"
  pids+=("$pid")
done
for i in $(seq 1 $NODES); do
  port=${ports[$((i - 1))]}
  await_broker "Millrace broker $i" "${pids[$((i - 1))]}" "$port" "$KAFKA_BENCH_HOME/millrace-$port/broker.log" \
    "Millrace broker [0-9]+ started" "${START_TIMEOUT:-180}" || fail "broker $i is not up"
done
echo "[bench] Millrace cluster up: $BOOTSTRAP (PIDs ${pids[*]})" >&2
echo "$BOOTSTRAP ${pids[*]}"
