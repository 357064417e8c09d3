#!/usr/bin/env bash
# Builds llama-server (the engine llama.vscode drives) from the llama.cpp source that ships inside
# node-llama-cpp's npm package (llama/gitRelease.bundle), once, into an ignored cache folder.
# Used only by bench:latency as a peer on loopback. Slow on 2 cores (~10-20 min); reused after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${PEER_DIR:-$ROOT/.cache/peer}
BIN=$OUT/build/bin/llama-server
# GGML_NATIVE tunes the build to this CPU, so a cache copied from another machine can die with
# SIGILL (seen here): the build is keyed on the CPU's flags and redone when they differ.
CPU=$(grep -m1 '^flags' /proc/cpuinfo | md5sum | cut -c1-12)
if [ -x "$BIN" ] && [ "$(cat "$OUT/build/cpu-flags" 2>/dev/null)" = "$CPU" ]; then echo "$BIN"; exit 0; fi
rm -rf "$OUT/build"
mkdir -p "$OUT"
if [ ! -d "$OUT/llama.cpp" ]; then
  git clone -q "$ROOT/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$OUT/llama.cpp"
fi
cmake -S "$OUT/llama.cpp" -B "$OUT/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF > "$OUT/cmake.log" 2>&1
cmake --build "$OUT/build" --target llama-server -j "${JOBS:-$(nproc)}" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
echo "$CPU" > "$OUT/build/cpu-flags"
echo "$BIN"
