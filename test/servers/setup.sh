#!/usr/bin/env bash
# Builds llama-server for the server tests (once per CPU; cached in $PEER_DIR, default .cache/peer,
# which CI keeps between runs) and the tiny generated model. Prints how long the build took.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PEER_DIR=${PEER_DIR:-$ROOT/.cache/peer}
export JOBS=${JOBS:-$(nproc)}
if [ ! -x "$PEER_DIR/build/bin/llama-server" ]; then echo "test:servers: building llama-server into $PEER_DIR with $JOBS jobs (first run only)"; fi
started=$(date +%s)
bash "$ROOT/bench/peer/buildLlamaServer.sh" > /dev/null
echo "test:servers: llama-server ready ($(( $(date +%s) - started )) s)"
node "$ROOT/out/models/gguf/generateCli.js" tiny > /dev/null
