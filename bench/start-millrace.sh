#!/usr/bin/env bash
# Start a Millrace broker on loopback the way users do (bin/millrace: runtime/target/millrace.jar,
# built if missing, with its class-data sharing archive), with the same heap and JVM flags as
# start-kafka.sh gives Kafka.
#   usage: start-millrace.sh PORT DATA_DIR [BROKER_ARGS...]
#          e.g. start-millrace.sh 29092 /tmp/m-data
#               start-millrace.sh 29092 /tmp/m-data --cluster --override node.id=1 ...
#   Runs: MILLRACE_HEAP_OPTS="-Xmx1G -Xms1G" MILLRACE_OPTS="<Kafka's performance flags>" bin/millrace
#           broker --config config/server.properties --override listeners=PLAINTEXT://127.0.0.1:PORT
#           --override log.dirs=DATA_DIR --override metrics.port=0 (a free port) [BROKER_ARGS...]
#   (bin/millrace execs java, so the PID recorded is the JVM's) and waits until the port is open and
#   the log says "Millrace broker N started".
#   stdout: the broker's PID. Log: RUN_DIR/broker.log (stdout and stderr; the previous start's in .prev).
#   env:   MILLRACE_CONFIG (default config/server.properties), MILLRACE_HEAP_OPTS (default
#          -Xmx1G -Xms1G), MILLRACE_JVM_OPTS (default: the same performance flags as Kafka's, see
#          env.sh), MILLRACE_CDS=0 (bin/millrace without its class-data sharing archive),
#          METRICS_PORT (default 0: a free port),
#          RUN_DIR (default /tmp/kafka-bench/millrace-PORT: millrace.pid, launched.ms, broker.log),
#          FRESH=1 wipes DATA_DIR first, WAIT=0 returns right after launching the JVM,
#          START_TIMEOUT=120 seconds to wait for the start.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
USAGE="usage: start-millrace.sh PORT DATA_DIR [BROKER_ARGS...]"
PORT="${1:?$USAGE}"
DATA_DIR="${2:?$USAGE}"
shift 2
RUN_DIR="${RUN_DIR:-$KAFKA_BENCH_HOME/millrace-$PORT}"
MILLRACE_CONFIG="${MILLRACE_CONFIG:-$REPO_DIR/config/server.properties}"
MILLRACE_HEAP_OPTS="${MILLRACE_HEAP_OPTS:-$BROKER_HEAP_OPTS}"
MILLRACE_JVM_OPTS="${MILLRACE_JVM_OPTS:-$BROKER_JVM_PERFORMANCE_OPTS}"
PID_FILE="$RUN_DIR/millrace.pid"
LOG="$RUN_DIR/broker.log"

[[ -f "$MILLRACE_CONFIG" ]] || { echo "[bench] no config file $MILLRACE_CONFIG" >&2; exit 1; }
ensure_millrace_jar || exit 1
mkdir -p "$RUN_DIR"
if [[ -f "$PID_FILE" ]] && alive "$(cat "$PID_FILE")"; then
  echo "[bench] Millrace already running, PID $(cat "$PID_FILE") ($PID_FILE)" >&2; exit 1
fi
if port_open "$PORT"; then echo "[bench] port $PORT already in use" >&2; exit 1; fi
[[ "${FRESH:-0}" == 1 ]] && rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR" || exit 1
DATA_DIR="$(cd "$DATA_DIR" && pwd)"

# the class-data sharing archive is recorded once per jar (a 5 s warm-up): do it now, not in a
# start that is being timed
prepare_millrace_cds || exit 1
# a fresh log per start, so "Millrace broker N started" below is this start's
[[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.prev"
now_ms > "$RUN_DIR/launched.ms"
MILLRACE_HEAP_OPTS="$MILLRACE_HEAP_OPTS" MILLRACE_OPTS="$MILLRACE_JVM_OPTS" \
nohup "$REPO_DIR/bin/millrace" broker \
  --config "$MILLRACE_CONFIG" \
  --override "listeners=PLAINTEXT://127.0.0.1:$PORT" \
  --override "log.dirs=$DATA_DIR" \
  --override "metrics.port=${METRICS_PORT:-0}" \
  "$@" >"$LOG" 2>&1 </dev/null &
record_and_await Millrace $! "$PID_FILE" "$PORT" "$LOG" "Millrace broker [0-9]+ started"
