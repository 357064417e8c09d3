#!/usr/bin/env bash
# Runs the committed bench:nes figures: each model run under the machine's CPU lock (one model
# benchmark at a time on the shared 2-core machine), split so no locked run takes much over 10 min.
# Needs the four bare git dirs named in nesBench.ts (fetch: github:psf/requests, pallets/click,
# gorilla/mux, sindresorhus/ky) and the real models (npm run models:real).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p .
OUT=bench/nes/results
run() { # name, args...
  local name=$1; shift
  echo "== $name load before: $(cat /proc/loadavg)" | tee -a "$OUT/runs.log"
  flock /tmp/lcc-cpu.lock node out/bench/nes/nesBench.js --threads 2 --json "$OUT/$name.json" "$@" 2>>"$OUT/runs.log" | tee -a "$OUT/runs.log"
  echo "== $name load after: $(cat /proc/loadavg)" | tee -a "$OUT/runs.log"
}
for step in ${STEPS:-none q05-chain bundled-chain q15-chain q05-model q15-model bundled-model}; do
  case $step in
    none) run none --model none ;;
    q05-chain) run qwen0.5b-chain --model qwen0.5 ;;
    q15-chain) run qwen1.5b-chain --model qwen1.5 --tasks 10 ;;
    bundled-chain) run bundled-chain --model bundled ;;
    q05-model) run qwen0.5b-model --model qwen0.5 --proposer model --tasks 5 ;;
    q15-model) run qwen1.5b-model --model qwen1.5 --proposer model --tasks 5 ;;
    bundled-model) run bundled-model --model bundled --proposer model --tasks 10 ;;
  esac
done
