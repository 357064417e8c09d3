#!/usr/bin/env bash
# Builds llama-server for the server tests (once per CPU and llama.cpp version; cached in $PEER_DIR,
# default ~/.cache/local-code-completion/llama-server-<node-llama-cpp version>, see
# bench/peer/buildLlamaServer.sh) and the tiny generated model. Prints how long the build took.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JOBS=${JOBS:-$(nproc)}
started=$(date +%s)
BIN=$(bash "$ROOT/bench/peer/buildLlamaServer.sh")
echo "test:servers: llama-server $BIN ready ($(( $(date +%s) - started )) s)"
node "$ROOT/out/models/gguf/generateCli.js" tiny > /dev/null
