#!/usr/bin/env bash
# Load test of `genrm serve`'s /v1/preference on loopback with wrk (Debian: apt-get install wrk):
# requests/s and p50/p99 latency at concurrency 1 and 16. Usage: tools/serve-load.sh [MODEL_DIR] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
model="${1:-$root/data/miniworld/smoke}"
seconds="${2:-15}"
port=18765
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
dotnet "$root/src/GenRM.Cli/bin/Release/net10.0/linux-x64/GenRM.Cli.dll" serve --model "$model" --port "$port" --threads 1 >/tmp/genrm-serve-load.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null && break; sleep 1; done
script="$(mktemp --suffix=.lua)"
cat >"$script" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"prompt": "What is 37+48?", "response_a": "37+48=85", "response_b": "37+48=75"}'
LUA
for connections in 1 16; do
  echo "== concurrency $connections, ${seconds} s"
  wrk -t1 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s "$script" "http://127.0.0.1:$port/v1/preference" | grep -E "Requests/sec|50%|99%|requests in|Non-2xx|Socket errors"
done
rm -f "$script"
