#!/usr/bin/env bash
# GPU figures for `genrm bench` (issue 9), for a lent GPU machine. NOT YET RUN: no GPU was lent when
# it was written. Run from the repository root; figures go to ${OUT:-bench-gpu}/.
#   1. If TorchSharp's CUDA build can be restored there (public NuGet reachable), builds with
#      -p:TorchDevice=cuda and runs `genrm bench --device cuda` at the default preset and the 3.5m shape.
#   2. Otherwise (no network: only what is installed), runs tools/bench_reference.py, the same model
#      shapes in PyTorch, as the reference figure a user would compare against.
set -uo pipefail
out="${OUT:-bench-gpu}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt" || true

if command -v dotnet >/dev/null && timeout 300 dotnet build src/GenRM.Cli -c Release -p:TorchDevice=cuda > "$out/build.log" 2>&1; then
  cli=src/GenRM.Cli/bin/Release/net10.0/linux-x64/GenRM.Cli
  # --studies none: timing whole reproduce runs would not fit a lent machine's 15 minutes.
  timeout 600 "$cli" bench --device cuda --preset default --studies none --out "$out/bench-cuda-default.json" | tee "$out/bench-cuda-default.txt"
  timeout 600 "$cli" bench --device cuda --preset default --studies none --model-size 3.5m --out "$out/bench-cuda-3.5m.json" | tee "$out/bench-cuda-3.5m.txt"
else
  echo "TorchSharp CUDA build unavailable (see $out/build.log if dotnet exists); measuring the PyTorch reference instead."
  for size in default 3.5m; do
    timeout 300 python3 tools/bench_reference.py --device cuda --model-size "$size" --out "$out/reference-cuda-$size.json" | tee "$out/reference-cuda-$size.txt"
  done
fi
