#!/usr/bin/env bash
# Installs the non-Java clients that the integration tests drive against the broker:
#   kcat (librdkafka) and promtool (package prometheus, for the Grafana files test) from
#   Debian's packages, kafkajs from npm (into engine/src/test/js).
# Idempotent and quick when all are present. Run by the engine module before its tests
# (process-test-classes), so README's test command, `mvn -B verify`, gets them on a fresh machine.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JS_DIR="$HERE/../js"

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
  if [[ "$SUDO" == none ]]; then
    echo "[test-tools] ${missing[*]} missing and this user cannot install packages; install with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "[test-tools] installing ${missing[*]}" >&2
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -f "$JS_DIR/package.json" && ! -d "$JS_DIR/node_modules/kafkajs" ]]; then
  echo "[test-tools] installing kafkajs into $JS_DIR" >&2
  (cd "$JS_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
echo "[test-tools] $(kcat -V 2>&1 | grep -o 'Version [^ ]*' | head -1 | sed 's/Version /kcat /'), kafkajs $( [[ -d "$JS_DIR/node_modules/kafkajs" ]] && node -p "require('$JS_DIR/node_modules/kafkajs/package.json').version" || echo none)" >&2
