#!/usr/bin/env bash
# Replicated: a 3-node Apache Kafka cluster against a 3-broker Millrace cluster, same machine, same
# client tools, measured in one run.
#   usage: compare-cluster.sh [PASSES]            e.g. compare-cluster.sh 3
#   Starts both clusters with fresh data dirs (start-kafka-cluster.sh on KAFKA_BASE_PORT, default
#   19292-19294; start-millrace-cluster.sh on MILLRACE_BASE_PORT, default 29292-29294; six JVMs of
#   1 GiB heap), warms both up with one small pass, then runs perf.sh against each cluster
#   alternately, PASSES times (default 2), with replication factor 3 and min.insync.replicas=2 on
#   every topic, watching the three broker processes of the cluster under test (resident memory
#   summed over them, CPU seconds); stops both clusters and prints every pass and the medians with
#   the ratio millrace/kafka and the goal (acks=all produce throughput at least Kafka's).
#   env: TESTS (default: the eight produce tests, acks=1 and acks=all; perf.sh's names), SCALE;
#        ONE_AT_A_TIME=1 runs Kafka's passes with only Kafka's cluster up, then Millrace's with only
#        Millrace's (when memory or CPU cannot hold both; the passes then do not alternate);
#        KAFKA_BASE_PORT, MILLRACE_BASE_PORT; OUT (default /tmp/kafka-bench/compare-cluster-<time>)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
PASSES="${1:-2}"
[[ "$PASSES" =~ ^[1-9][0-9]*$ ]] || { echo "usage: compare-cluster.sh [PASSES]" >&2; exit 1; }
KAFKA_BASE_PORT="${KAFKA_BASE_PORT:-19292}"
MILLRACE_BASE_PORT="${MILLRACE_BASE_PORT:-29292}"
OUT="${OUT:-$KAFKA_BENCH_HOME/compare-cluster-$(date +%H%M%S)}"
export TESTS="${TESTS:-p1-100b-acks1 p1-100b-acksall p1-1k-acks1 p1-1k-acksall p6-100b-acks1 p6-100b-acksall p6-1k-acks1 p6-1k-acksall}"
export RF=3 MIN_ISR=2
mkdir -p "$OUT" || exit 1
ensure_libs || exit 1
ensure_tools || exit 1
ensure_millrace_jar || exit 1

cleanup() {
  stop_child
  "$HERE/stop-kafka-cluster.sh" "$KAFKA_BASE_PORT" >/dev/null 2>&1 &
  "$HERE/stop-millrace-cluster.sh" "$MILLRACE_BASE_PORT" >/dev/null 2>&1 &
  wait
  rm -rf "$OUT/kafka-data" "$OUT/millrace-data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

K=""; KPIDS=""; M=""; MPIDS=""
start_kafka() {
  local line; line=$(FRESH=1 "$HERE/start-kafka-cluster.sh" "$KAFKA_BASE_PORT" "$OUT/kafka-data") || return 1
  K=${line%% *}; KPIDS=${line#* }
}
start_millrace() {
  local line; line=$(FRESH=1 "$HERE/start-millrace-cluster.sh" "$MILLRACE_BASE_PORT" "$OUT/millrace-data") || return 1
  M=${line%% *}; MPIDS=${line#* }
}
pass() { # kafka|millrace PASS_NUMBER   (a broker that died ends the run)
  if [[ $1 == kafka ]]; then
    # shellcheck disable=SC2086
    require_alive "a Kafka node" "$KAFKA_BENCH_HOME/run-<port>/logs/server.log" $KPIDS || exit 1
    echo "[compare-cluster] pass $2/$PASSES: kafka" >&2
    BROKER_PIDS="$KPIDS" RUN_TAG="k$2" OUT_DIR="$OUT/kafka-$2" run_child "$HERE/perf.sh" "$K" >/dev/null
  else
    # shellcheck disable=SC2086
    require_alive "a Millrace broker" "$KAFKA_BENCH_HOME/millrace-<port>/broker.log" $MPIDS || exit 1
    echo "[compare-cluster] pass $2/$PASSES: millrace" >&2
    BROKER_PIDS="$MPIDS" RUN_TAG="m$2" OUT_DIR="$OUT/millrace-$2" run_child "$HERE/perf.sh" "$M" >/dev/null
  fi
}
warm() { # kafka|millrace
  echo "[compare-cluster] warm-up pass: $1" >&2
  if [[ $1 == kafka ]]; then SCALE=0.05 RUN_TAG=warmk OUT_DIR="$OUT/warm-kafka" run_child "$HERE/perf.sh" "$K" >/dev/null
  else SCALE=0.05 RUN_TAG=warmm OUT_DIR="$OUT/warm-millrace" run_child "$HERE/perf.sh" "$M" >/dev/null; fi
}

if [[ "${ONE_AT_A_TIME:-0}" == 1 ]]; then
  start_kafka || exit 1
  warm kafka
  for i in $(seq 1 "$PASSES"); do pass kafka "$i"; done
  "$HERE/stop-kafka-cluster.sh" "$KAFKA_BASE_PORT" >/dev/null
  start_millrace || exit 1
  warm millrace
  for i in $(seq 1 "$PASSES"); do pass millrace "$i"; done
else
  start_kafka || exit 1
  start_millrace || exit 1
  echo "[compare-cluster] kafka $K (PIDs $KPIDS); millrace $M (PIDs $MPIDS); output in $OUT" >&2
  warm kafka; warm millrace
  for i in $(seq 1 "$PASSES"); do pass kafka "$i"; pass millrace "$i"; done
fi

cols=()
for i in $(seq 1 "$PASSES"); do cols+=("kafka-$i=$OUT/kafka-$i/summary.txt" "millrace-$i=$OUT/millrace-$i/summary.txt"); done
echo "## every pass (3 brokers each, replication factor 3, min.insync.replicas=2)"
"$HERE/table.sh" "${cols[@]}"
echo
echo "## medians over $PASSES passes, ratio = millrace / kafka"
GOALS=cluster "$HERE/medians.sh" "$OUT"
echo
echo "raw output: $OUT" >&2
