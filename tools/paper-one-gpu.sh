#!/usr/bin/env bash
# The paper's study on one GPU: vLLM samples STaR's rationales and the judges' votes, genrm trains
# LoRA adapters beside it and hands vLLM each iteration's adapter (README, "The paper on one GPU").
#
#   tools/paper-one-gpu.sh MODEL_DIR TRAIN TEST OOD [OUT_DIR]
#
# MODEL_DIR is a Hugging Face folder (e.g. Llama-3.1-8B-Instruct), TRAIN/TEST/OOD the preference files
# `reproduce --preset paper` reads. Needs `vllm` on PATH and the CUDA build of genrm (the devcontainer
# has both once `pip install vllm` has run). VLLM_GPU_SHARE (default 0.35) is the share of GPU memory
# vLLM takes; the rest is genrm's: check it with `genrm plan --preset paper --model MODEL_DIR
# --memory <the rest>` first. VLLM_PORT (default 8000) is where vLLM listens.
set -euo pipefail

if [[ $# -lt 4 ]]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 1
fi
model=$1 train=$2 test=$3 ood=$4 out=${5:-runs/paper-one-gpu}
share=${VLLM_GPU_SHARE:-0.35}
port=${VLLM_PORT:-8000}
repo=$(cd "$(dirname "$0")/.." && pwd)

[[ -f "$model/config.json" ]] || { echo "paper-one-gpu: $model/config.json: not a Hugging Face model folder" >&2; exit 1; }
command -v vllm >/dev/null || { echo "paper-one-gpu: vllm is not on PATH (pip install vllm)" >&2; exit 1; }
mkdir -p "$out"

# Runtime adapter loading (/v1/load_lora_adapter) is off in vLLM unless this is set; rank 16 is the
# paper preset's LoRA rank.
VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve "$model" --port "$port" --enable-lora --max-lora-rank 16 \
    --gpu-memory-utilization "$share" --seed 1 >"$out/vllm.log" 2>&1 &
vllm_pid=$!
trap 'kill "$vllm_pid" 2>/dev/null || true' EXIT

echo "paper-one-gpu: waiting for vLLM on port $port (log: $out/vllm.log)"
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null && break
    kill -0 "$vllm_pid" 2>/dev/null || { echo "paper-one-gpu: vLLM stopped; see $out/vllm.log" >&2; exit 1; }
    sleep 2
done
curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null || { echo "paper-one-gpu: vLLM did not answer in 20 minutes" >&2; exit 1; }

cd "$repo"
dotnet build src/GenRM.Cli -c Release -p:TorchDevice=cuda
dotnet run --project src/GenRM.Cli -c Release --no-build -p:TorchDevice=cuda -- reproduce --preset paper \
    --model "$model" --train "$train" --test "$test" --ood "$ood" --device cuda --out "$out" \
    --sampler "http://127.0.0.1:$port/v1"
