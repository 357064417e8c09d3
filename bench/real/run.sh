#!/usr/bin/env bash
# Runs the real-weights bench: one locked run per repository (the CPU is shared), JSON per run.
# Usage: bash bench/real/run.sh MODEL_ID SYSTEMS TASKS [extra realBench args...]
#   e.g. bash bench/real/run.sh qwen2.5-coder-0.5b-instruct-q4_k_m pipeline,raw 16
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${REAL_DATA:-/work/data/real}
MODEL=$1 SYSTEMS=$2 TASKS=$3; shift 3
SIZE=$(echo "$MODEL" | grep -o '[0-9.]*b-' | head -1 | tr -d -)
TAG=${TAG:-$(echo "$SYSTEMS" | tr , -)}
mkdir -p "$ROOT/bench/real/results"
for spec in ky:source axios:lib requests:src chi:.; do
  name=${spec%%:*} sub=${spec#*:}
  [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",$name,"* ]] && continue
  out="$ROOT/bench/real/results/$name-$SIZE-$TAG.json"
  [ -f "$out" ] && { echo "have $out"; continue; }
  flock /tmp/lcc-cpu.lock node "$ROOT/out/bench/real/realBench.js" --repo "$DATA/$name/$sub" --name "$name" \
    --model "$MODEL" --systems "$SYSTEMS" --tasks "$TASKS" --threads "${THREADS:-1}" --out "$out" "$@" 2> "/tmp/real-$name-$SIZE-$TAG.log" \
    || echo "FAILED $name (see /tmp/real-$name-$SIZE-$TAG.log)"
  tail -3 "/tmp/real-$name-$SIZE-$TAG.log"
done
