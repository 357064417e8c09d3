#!/usr/bin/env bash
# The GPU recipe end to end at a tiny scale on this CPU, so that the device run works the first
# time: fetch a tiny corpus (all 12 languages, held-out packages included) -> build (licences,
# exact and near-duplicate removal) -> pack the device folder -> gpu/run.py (the very script the
# GPU runs: workers tokenize, target and draft train side by side, hard stop, Q8_0 parts) ->
# unpack -> GGUF export with the project's writer -> the engine loads the pair and completes a
# held-out snippet. Run it from a clean clone: git clone . /tmp/rehearsal && bash /tmp/rehearsal/models/training/rehearse.sh
#
# Knobs: WORK (default .cache/rehearsal), RAW (reuse fetched packages: skips the fetch),
# MINUTES (wall budget of gpu/run.py, default 2.5: about a minute of training on a busy 2-core machine), NICE (default 19).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-$PWD/.cache/rehearsal}
MINUTES=${MINUTES:-2.5}
NICE=${NICE:-19}
T=models/training
PY=/usr/bin/python3            # Debian's python3 with python3-torch
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
run() { echo "+ $*" >&2; nice -n "$NICE" "$@"; }
mkdir -p "$WORK"
t0=$(date +%s)

$PY -c 'import torch, numpy, regex' 2>/dev/null || {
  apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy python3-regex libopenblas0-pthread; }
[ -d node_modules/node-llama-cpp ] || npm ci --no-audit --no-fund
npx tsc -p $T/tsconfig.json

RAW=${RAW:-$WORK/raw}
if [ ! -f "$RAW/fetched.json" ]; then
  run $PY $T/corpus/fetch.py "$RAW" --scale 0.01 --npm-limit 4
  run $PY $T/corpus/fetch_sources.py "$RAW" --scale 0.02
fi
run $PY $T/corpus/build.py "$RAW" "$WORK/corpus" "$WORK/corpus-manifest.json" --cap-scale 0.05 | tail -n 4
run $PY $T/gpu/pack.py "$WORK/corpus" $T/tokenizer/tokenizer.json "$WORK/device" --sample-mb 4
rm -rf "$WORK/out"
run $PY $T/gpu/run.py --data "$WORK/device" --out "$WORK/out" --minutes "$MINUTES" --reserve 15 \
  --target 256,2,4,2,512 --draft 128,1,4,2,256 --ctx 1024 --batch 4 --workers 2 --chunk 4 --threads 1 --warmup 10 --lr 3e-3
run $PY $T/gpu/unpack.py "$WORK/out" "$WORK/models"
for m in target draft; do
  run $PY $T/export/export_weights.py "$WORK/models/$m.pt" "$WORK/export/$m" --name "rehearsal-$m" --description "rehearsal $m"
  run node out/models/training/exportGguf.js "$WORK/export/$m.weights.json" $T/tokenizer/tokenizer.json "$WORK/gguf/rehearsal-$m.gguf"
done
run node out/models/training/completeSnippet.js "$WORK/gguf/rehearsal-target.gguf" "$WORK/gguf/rehearsal-draft.gguf" "$WORK/corpus/heldout.jsonl.gz" | tee "$WORK/complete.json"
echo "rehearsal done in $(( $(date +%s) - t0 )) s: $WORK" >&2
