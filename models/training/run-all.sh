#!/usr/bin/env bash
# From a clean checkout to models/bundled/*.gguf: corpus -> tokenizer -> target + draft training
# -> GGUF export (the project's TypeScript writer) -> parity fixture -> evaluation -> provenance.
# Every stage can also be run on its own (see models/training/README.md); each one writes into
# $WORK (default .cache/training, git-ignored) and the committed outputs go to models/bundled/,
# models/training/corpus-manifest.json, models/training/fixtures/ and models/training/results/.
#
# Knobs (environment): WORK, TRAIN_MINUTES (target; default 55), DRAFT_MINUTES (default 30; the
# two train side by side, so the draft's core is free for other work once it is done),
# DEVICE (cpu|cuda), THREADS (per model), FETCH_SCALE (corpus size multiplier), STAGES
# (default "deps fetch build tokenizer train export fixture eval provenance"), NICE (default 19).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=${WORK:-$ROOT/.cache/training}
TRAIN_MINUTES=${TRAIN_MINUTES:-55}
DRAFT_MINUTES=${DRAFT_MINUTES:-30}
DEVICE=${DEVICE:-cpu}
THREADS=${THREADS:-1}
FETCH_SCALE=${FETCH_SCALE:-1}
NICE=${NICE:-19}
STAGES=${STAGES:-deps fetch build tokenizer train export fixture eval provenance}
# After a GPU run (README "The GPU run"): RUN_DIR=<the device's files> TOK=models/training/tokenizer/tokenizer.json
#   STAGES="deps unpack export fixture eval provenance" (unpack turns the returned Q8_0 parts into $WORK/models/*.pt).
export TOK=${TOK:-$WORK/tok/tokenizer.json}
RUN_DIR=${RUN_DIR:-}
# Model shapes. A GPU run should use the larger ones in README.md ("On a GPU").
# On 2 CPU cores an hour buys ~8 M tokens: few layers train fastest per token (the 16k-token
# embedding/LM head is most of the cost), and more tokens beat more depth at this budget.
TARGET_ARGS=${TARGET_ARGS:---hidden 256 --layers 4 --heads 4 --lr 3e-3 --batch 8 --warmup 100}
DRAFT_ARGS=${DRAFT_ARGS:---hidden 128 --layers 2 --heads 4 --lr 4e-3 --batch 8 --warmup 100}
TARGET_NAME=${TARGET_NAME:-lcc-coder-7m-q8_0}
DRAFT_NAME=${DRAFT_NAME:-lcc-coder-2m-draft-q8_0}
export PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3            # Debian's python3 (python3-torch is installed for it)
T=models/training
run() { echo "+ $*" >&2; nice -n "$NICE" "$@"; }
has() { [[ " $STAGES " == *" $1 "* ]]; }
mkdir -p "$WORK"

if has deps; then
  if ! $PY -c 'import torch, numpy, regex' 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy python3-regex libopenblas0-pthread
  fi
  # npm ci rejects the lock here (the registry lacks other platforms' optional packages): install, lock respected.
  [ -d node_modules/node-llama-cpp ] || npm ci --no-audit --no-fund
  npx tsc -p $T/tsconfig.json
fi
if has fetch; then
  apt-get update -qq   # apt-cache dumpavail reads the local index
  run $PY $T/corpus/fetch.py "$WORK/raw" --scale "$FETCH_SCALE"
fi
if has build; then run $PY $T/corpus/build.py "$WORK/raw" "$WORK/corpus" $T/corpus-manifest.json --cap-scale "$FETCH_SCALE"; fi
if has tokenizer; then
  mkdir -p "$WORK/tok"
  run $PY $T/tokenizer/train_tokenizer.py "$WORK/corpus" "$TOK" --vocab 16384 --sample-mb 40 | tee "$WORK/tok/train.log"
fi
if has unpack; then run $PY $T/gpu/unpack.py "$RUN_DIR" "$WORK/models"; fi
if has train; then
  mkdir -p "$WORK/models"
  common=(--ctx 512 --threads "$THREADS" --device "$DEVICE" --corpus-mb 0
          --tokenizer "$TOK" --corpus "$WORK/corpus" --out "$WORK/models")
  # Side by side, one thread each: on 2 cores this beats training them one after the other.
  run $PY $T/lm/train.py --name target $TARGET_ARGS --minutes "$TRAIN_MINUTES" "${common[@]}" > "$WORK/models/target.out" 2>&1 &
  t=$!
  run $PY $T/lm/train.py --name draft $DRAFT_ARGS --minutes "$DRAFT_MINUTES" --seed 1 "${common[@]}" > "$WORK/models/draft.out" 2>&1 &
  d=$!
  wait $t; wait $d
  tail -n 1 "$WORK/models/target.out" "$WORK/models/draft.out"
fi
if has export; then
  mkdir -p models/bundled
  rm -f models/bundled/*.gguf
  for pair in "target:$TARGET_NAME" "draft:$DRAFT_NAME"; do
    m=${pair%%:*}; name=${pair#*:}
    run $PY $T/export/export_weights.py "$WORK/models/$m.pt" "$WORK/export/$m" --name "$name" \
      --description "Local Code Completion $m model trained from scratch on permissively licensed code (models/training/)"
    run node out/models/training/exportGguf.js "$WORK/export/$m.weights.json" "$TOK" "models/bundled/$name.gguf"
  done
fi
if has fixture; then
  run $PY $T/export/make_fixture.py "$TOK" "$WORK/corpus" $T/fixtures/parity.json \
    --model target="$WORK/models/target.pt" --model draft="$WORK/models/draft.pt"
fi
if has eval; then
  mkdir -p $T/results
  run $PY $T/export/token_ids.py "$TOK" "$WORK/corpus" "$WORK/token-ids.json" --train-files 300
  for name in "$TARGET_NAME" "$DRAFT_NAME"; do
    run node out/models/training/checkTokenizer.js "models/bundled/$name.gguf" "$WORK/token-ids.json" "$T/results/tokenizer-parity-$name.json"
  done
  run $PY $T/eval/perplexity.py "$TOK" "$WORK/corpus" $T/results/perplexity.json \
    "$WORK/models/target.pt" "$WORK/models/draft.pt"
  run node out/models/training/evalCompletion.js "models/bundled/$TARGET_NAME.gguf" "models/bundled/$DRAFT_NAME.gguf" \
    "$WORK/corpus/heldout.jsonl.gz" $T/results/completion.json --samples 300 --multiline 60 --threads 1
fi
if has provenance; then
  cp "$WORK/models/target.log.jsonl" "$WORK/models/draft.log.jsonl" $T/results/
  run $PY $T/export/write_provenance.py --work "$WORK" --target "$TARGET_NAME" --draft "$DRAFT_NAME" > models/bundled/PROVENANCE.md
fi
ls -la models/bundled/
