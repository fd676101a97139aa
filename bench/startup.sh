#!/usr/bin/env bash
# Start to ready with 1,000 partitions holding data: Apache Kafka 4.4.0 and Millrace, one run.
#   usage: startup.sh [RUNS]          e.g. startup.sh 3        (default 3)
#   Starts Kafka (start-kafka.sh, KAFKA_PORT, default 19192) and Millrace (start-millrace.sh,
#   MILLRACE_PORT, default 29192), each on a fresh data dir with a 1 GiB heap; creates TOPICS topics
#   of PARTITIONS partitions on each (default 10 x 100 = 1,000) and fills them with FILL_MB MiB
#   (default 300) of RECORD_SIZE-byte records (default 1024), ProducerPerformance with the
#   round-robin partitioner, so every partition holds data. Then RUNS times, for Kafka and then
#   Millrace:
#     kill -9: writes a top-up (TOPUP_MB, default FILL_MB/10, spread over every partition, so each
#              log has a tail the broker has not flushed), notes every partition's latest offset,
#              kill -9, starts the broker again;
#     clean:   notes the offsets, SIGTERM and waits for the exit, starts the broker again.
#   Each start is timed from the launch of the broker's JVM to "ready": tools/StartupProbe.java,
#   launched just before the broker, retries every 50 ms until Metadata names a leader for all
#   1,000 partitions and ListOffsets(latest) answers every one of them with the offset noted
#   before the stop. Prints every run and the medians with the ratio millrace/kafka (goal: at most
#   a third of Kafka's time).
#   Figures (ms from the JVM launch): ready_ms (the goal's figure), metadata_ms (first Metadata with
#   every leader), first_answer_ms (first Metadata answer at all), log_started_ms (the broker's
#   "started" log line); stop_ms (how long the clean stop took).
#   env: TOPICS, PARTITIONS, FILL_MB, TOPUP_MB, RECORD_SIZE, SCALE (multiplies FILL_MB and TOPUP_MB),
#        KAFKA_PORT, MILLRACE_PORT, READY_TIMEOUT (default 600 s), BROKERS (default "kafka millrace"),
#        OUT (default /tmp/kafka-bench/startup-<time>; raw output, kept; the data dirs are deleted)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"
RUNS="${1:-3}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: startup.sh [RUNS]" >&2; exit 1; }
TOPICS="${TOPICS:-10}"
PARTITIONS="${PARTITIONS:-100}"
SCALE="${SCALE:-1}"
FILL_MB=$(awk -v m="${FILL_MB:-300}" -v s="$SCALE" 'BEGIN{printf "%g", m * s}')
TOPUP_MB=$(awk -v m="${TOPUP_MB:-}" -v f="$FILL_MB" -v s="$SCALE" 'BEGIN{printf "%g", m == "" ? f / 10 : m * s}')
RECORD_SIZE="${RECORD_SIZE:-1024}"
KAFKA_PORT="${KAFKA_PORT:-19192}"
MILLRACE_PORT="${MILLRACE_PORT:-29192}"
READY_TIMEOUT="${READY_TIMEOUT:-600}"
BROKERS="${BROKERS:-kafka millrace}"
OUT="${OUT:-$KAFKA_BENCH_HOME/startup-$(date +%H%M%S)}"
mkdir -p "$OUT" || exit 1
ensure_libs || exit 1
ensure_tools || exit 1
[[ " $BROKERS " == *" millrace "* ]] && { ensure_millrace_jar || exit 1; }

log() { echo "[startup $(date +%T)] $*" >&2; }
topic_names() { local i; for ((i = 0; i < TOPICS; i++)); do echo -n "startup-$i "; done; }
TOPIC_LIST=$(topic_names)

# per broker: port, start/stop scripts, run dir (start-*.sh's default), data dir, "started" log
port_of() { [[ $1 == kafka ]] && echo "$KAFKA_PORT" || echo "$MILLRACE_PORT"; }
run_dir_of() { [[ $1 == kafka ]] && echo "$KAFKA_BENCH_HOME/run-$KAFKA_PORT" || echo "$KAFKA_BENCH_HOME/millrace-$MILLRACE_PORT"; }
data_of() { echo "$OUT/$1-data"; }
start_command() { # NAME -> the start script and its arguments, in START
  if [[ $1 == kafka ]]; then START=("$HERE/start-kafka.sh" "$KAFKA_PORT" "$(data_of kafka)")
  else START=("$HERE/start-millrace.sh" "$MILLRACE_PORT" "$(data_of millrace)"); fi
}
start_broker() { # NAME [FRESH]   (the script runs as a child this script's trap can stop)
  start_command "$1"
  FRESH=${2:-0} START_TIMEOUT=$READY_TIMEOUT run_child "${START[@]}" >/dev/null
}
stop_broker() { # NAME [KILL]  -> clean stop ms on stdout
  if [[ $1 == kafka ]]; then SIGNAL=${2:-TERM} "$HERE/stop-kafka.sh" "$KAFKA_PORT"
  else SIGNAL=${2:-TERM} "$HERE/stop-millrace.sh" "$MILLRACE_PORT"; fi
}
# ms from the JVM launch to the broker's own "started" line (Kafka: "[2026-01-02 03:04:05,678] INFO
# ... Kafka Server started"; Millrace: "2026-01-02 03:04:05.678 INFO ... Millrace broker 1 started")
log_started_ms() { # NAME
  local rd line ts; rd=$(run_dir_of "$1")
  if [[ $1 == kafka ]]; then line=$(grep -m1 'Kafka Server started' "$rd/logs/server.log"); ts=${line:1:23}
  else line=$(grep -m1 -E 'Millrace broker [0-9]+ started' "$rd/broker.log"); ts=${line:0:23}; fi
  [[ -n "$line" ]] || { echo -1; return; }
  echo $(( $(date -d "${ts/,/.}" +%s%3N) - $(cat "$rd/launched.ms") ))
}

# shellcheck disable=SC2206
PROBE=("$JAVA" $TOOL_JVM_OPTS -Dlog4j2.configurationFile="$BENCH_DIR/log4j2-probe.properties" -cp "$TOOLS_CP" StartupProbe)
probe() { "${PROBE[@]}" "$@"; }

cleanup() {
  local b
  stop_child
  for b in $BROKERS; do SIGNAL=KILL stop_broker "$b" >/dev/null 2>&1; rm -rf "$(data_of "$b")"; done
  [[ -n "${PROBE_PID:-}" ]] && kill "$PROBE_PID" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fill() { # NAME
  local b=$1 bs t per_topic topics_ok=1
  bs="127.0.0.1:$(port_of "$b")"
  per_topic=$(awk -v mb="$FILL_MB" -v s="$RECORD_SIZE" -v t="$TOPICS" 'BEGIN{v = int(mb * 1048576 / s / t); print v < 1 ? 1 : v}')
  log "$b: creating $TOPICS topics x $PARTITIONS partitions, filling $FILL_MB MiB ($per_topic x ${RECORD_SIZE} B per topic)"
  for t in $TOPIC_LIST; do
    run_child "${KTOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --create --topic "$t" \
        --partitions "$PARTITIONS" --replication-factor 1 >"$OUT/$b-create-$t.log" 2>&1 \
      || { log "$b: creating $t failed: $(tail -2 "$OUT/$b-create-$t.log")"; return 1; }
  done
  for t in $TOPIC_LIST; do
    run_child "${KTOOL[@]}" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bs" --topic "$t" \
        --num-records "$per_topic" --record-size "$RECORD_SIZE" --throughput -1 \
        --command-property acks=1 \
        --command-property partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner \
        >"$OUT/$b-fill-$t.log" 2>&1 || { log "$b: filling $t failed: $(tail -2 "$OUT/$b-fill-$t.log")"; return 1; }
  done
  # shellcheck disable=SC2086
  local got; got=$(probe offsets "$bs" "$OUT/$b-offsets.txt" $TOPIC_LIST) || { log "$b: reading offsets failed"; return 1; }
  log "$b: filled: $got"
  [[ "$got" == *" empty=0" ]] || { log "$b: some partitions are empty after the fill ($got)"; return 1; }
}

# One restart: MODE is kill or clean. Appends a RESULT line to $OUT/NAME-RUN/summary.txt.
restart() { # NAME MODE RUN
  local b=$1 mode=$2 run=$3 bs rd stop_ms="" got result
  bs="127.0.0.1:$(port_of "$b")"; rd=$(run_dir_of "$b")
  mkdir -p "$OUT/$b-$run"
  if [[ $mode == kill ]]; then
    local per_partition
    per_partition=$(awk -v mb="$TOPUP_MB" -v s="$RECORD_SIZE" -v n=$((TOPICS * PARTITIONS)) 'BEGIN{v = int(mb * 1048576 / s / n); print v < 1 ? 1 : v}')
    # shellcheck disable=SC2086
    got=$(probe topup "$bs" "$per_partition" "$RECORD_SIZE" $TOPIC_LIST) || { log "$b: top-up failed"; return 1; }
    log "$b run $run: top-up $got"
  fi
  # shellcheck disable=SC2086
  got=$(probe offsets "$bs" "$OUT/$b-expected.txt" $TOPIC_LIST) || { log "$b: reading offsets failed"; return 1; }
  if [[ $mode == kill ]]; then
    log "$b run $run: kill -9 ($got)"
    stop_broker "$b" KILL >/dev/null || return 1
  else
    log "$b run $run: clean stop ($got)"
    stop_ms=$(stop_broker "$b") || { log "$b: the clean stop did not finish (SIGKILL sent)"; return 1; }
  fi
  await_port_closed "$(port_of "$b")" 30 || return 1
  rm -f "$rd/launched.ms"
  "${PROBE[@]}" ready "$bs" "$OUT/$b-expected.txt" "$rd/launched.ms" "$READY_TIMEOUT" >"$OUT/$b-$run/probe-$mode.out" 2>"$OUT/$b-$run/probe-$mode.err" &
  PROBE_PID=$!   # the JVM's own PID (a simple command, not a function, in the background)
  if ! start_broker "$b"; then
    kill "$PROBE_PID" 2>/dev/null; PROBE_PID=""; log "$b: did not start again"; return 1
  fi
  wait "$PROBE_PID"; local rc=$?; PROBE_PID=""
  result=$(cat "$OUT/$b-$run/probe-$mode.out")
  if [[ $rc -ne 0 || "$result" != ready_ms=* ]]; then  # the broker runs: note it, go on
    echo "RESULT test=startup-$mode broker=$b run=$run FAILED ($(tail -1 "$OUT/$b-$run/probe-$mode.err"))" | tee -a "$OUT/$b-$run/summary.txt"
    return 0
  fi
  echo "RESULT test=startup-$mode broker=$b run=$run partitions=$((TOPICS * PARTITIONS)) $result log_started_ms=$(log_started_ms "$b")${stop_ms:+ stop_ms=$stop_ms}" \
    | tee -a "$OUT/$b-$run/summary.txt"
}

for b in $BROKERS; do
  start_broker "$b" 1 || exit 1
  fill "$b" || exit 1
done
for run in $(seq 1 "$RUNS"); do
  for b in $BROKERS; do
    restart "$b" kill "$run" || exit 1
    restart "$b" clean "$run" || exit 1
  done
done

echo "## every run (ms from the launch of the broker's JVM)"
for b in $BROKERS; do cat "$OUT"/"$b"-[0-9]*/summary.txt; done | sed 's/^RESULT //'
echo
echo "## medians over $RUNS runs, ratio = millrace / kafka"
echo "($((TOPICS * PARTITIONS)) partitions, $FILL_MB MiB of ${RECORD_SIZE}-byte records, $TOPUP_MB MiB more before each kill -9)"
GOALS=startup "$HERE/medians.sh" "$OUT"
echo
echo "raw output: $OUT" >&2
