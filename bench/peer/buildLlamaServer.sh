#!/usr/bin/env bash
# Builds llama-server (the engine llama.vscode drives) from the llama.cpp source that ships inside
# node-llama-cpp's npm package (llama/gitRelease.bundle), once, into an ignored cache folder.
# Used only by bench:latency as a peer on loopback. Slow on 2 cores (~10-20 min); reused after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${PEER_DIR:-$ROOT/.cache/peer}
BIN=$OUT/build/bin/llama-server
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
mkdir -p "$OUT"
if [ ! -d "$OUT/llama.cpp" ]; then
  git clone -q "$ROOT/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$OUT/llama.cpp"
fi
cmake -S "$OUT/llama.cpp" -B "$OUT/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF > "$OUT/cmake.log" 2>&1
cmake --build "$OUT/build" --target llama-server -j "$(nproc)" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
echo "$BIN"
