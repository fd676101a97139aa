#!/usr/bin/env bash
# Medians over passes, per test, for Kafka and Millrace, with the ratio millrace/kafka and the
# issue-10 goal it is held to.
#   usage: medians.sh OUT_DIR         (reads OUT_DIR/kafka-N/summary.txt and OUT_DIR/millrace-N/summary.txt)
#   env:   GOALS=single (default: compare.sh's goals), cluster (compare-cluster.sh's), startup
#          (startup.sh's) or none
# Figures: rec_per_s and fetch_rec_per_s (consume without the group join) (higher is better);
# p99_ms, and rss_peak_mb, rss_median_mb, anon_peak_mb, cpu_s of the broker process(es) over a pass
# (lower); per test, client_cpu_s (the client tool's JVM) and broker_cpu_s (the broker's) (lower); with GOALS=startup ready_ms, metadata_ms, first_answer_ms, log_started_ms, stop_ms (lower). A test that FAILED in a pass is left out of
# that pass; "missing" means no pass of that broker has it.
set -uo pipefail
OUT="${1:?usage: medians.sh OUT_DIR}"
GOALS="${GOALS:-single}"
shopt -s nullglob
files=("$OUT"/kafka-[0-9]*/summary.txt "$OUT"/millrace-[0-9]*/summary.txt)
[[ ${#files[@]} -gt 0 ]] || { echo "[medians] no kafka-N/summary.txt or millrace-N/summary.txt under $OUT" >&2; exit 1; }
passes=$(ls -d "$OUT"/kafka-[0-9]* 2>/dev/null | wc -l)

echo "| test | figure | kafka | millrace | ratio | goal |"
echo "|---|---|---|---|---|---|"
if [[ $GOALS == startup ]]; then figures="ready_ms metadata_ms first_answer_ms log_started_ms stop_ms"
else figures="rec_per_s fetch_rec_per_s p99_ms rss_peak_mb rss_median_mb anon_peak_mb cpu_s client_cpu_s broker_cpu_s"; fi
for f in $figures; do
  awk -v fig="$f" -v goals="$GOALS" '
    function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
      return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
    # the goal of issue 10 for this test and figure: ">= 1.5", "<= 0.5", ... or ""
    function goal(t) {
      if (goals == "single") {
        if (fig == "rec_per_s" && (t ~ /^produce-/ || t ~ /^consume-/)) return ">= 1.5"
        if (fig == "p99_ms" && t ~ /^e2e/) return "<= 0.5"
        if ((fig == "rss_peak_mb" || fig == "rss_median_mb") && t == "broker-resources") return "<= 1"
      } else if (goals == "cluster") {
        if (fig == "rec_per_s" && t ~ /^produce-.*-acksall$/) return ">= 1"
      } else if (goals == "startup") {
        if (fig == "ready_ms") return "<= 0.33"
      }
      return ""
    }
    FNR == 1 { who = (FILENAME ~ /\/kafka-[0-9]+\/summary\.txt$/) ? "kafka" : "millrace" }
    /^RESULT test=/ && !/FAILED/ && !/create-topic/ {
      t = ""; v = ""
      for (k = 2; k <= NF; k++) { split($k, kv, "="); if (kv[1] == "test") t = kv[2]; if (kv[1] == fig) v = kv[2] }
      if (fig == "rec_per_s" && t ~ /^e2e/) v = ""   # round trips per second, JVM start included: no throughput
      if (t != "" && v != "") { n[who, t]++; vals[who, t, n[who, t]] = v + 0; tests[t] = 1 }
    }
    /^RESULT test=/ && /FAILED/ { for (k = 2; k <= NF; k++) { split($k, kv, "="); if (kv[1] == "test") failed[who, kv[2]] = 1 } }
    END { for (t in tests) {
        g = goal(t)
        if (!n["kafka", t] || !n["millrace", t]) {
          printf "| %s | %s | %s | %s | - | %s |\n", t, fig, n["kafka", t] ? "ok" : "missing", n["millrace", t] ? "ok" : "missing", g; continue }
        for (i = 1; i <= n["kafka", t]; i++) a[i] = vals["kafka", t, i]; mk = median(a, n["kafka", t])
        for (i = 1; i <= n["millrace", t]; i++) b[i] = vals["millrace", t, i]; mm = median(b, n["millrace", t])
        if (mk > 0) { r = sprintf("%.2f", mm / mk); split(g, gg, " ")
          if (g != "") g = g ((gg[1] == ">=" ? r + 0 >= gg[2] : r + 0 <= gg[2]) ? " met" : " NOT met") }
        else r = "-"
        if (failed["kafka", t] || failed["millrace", t]) g = g " (a pass FAILED)"
        printf "| %s | %s | %g | %g | %s | %s |\n", t, fig, mk, mm, r, g } }
  ' "${files[@]}" | sort
done
echo
echo "($passes passes or runs; ratio = millrace / kafka: higher is better for rec_per_s and fetch_rec_per_s, lower for the others)"
