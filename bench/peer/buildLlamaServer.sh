#!/usr/bin/env bash
# Builds llama-server (the engine llama.vscode drives) from the llama.cpp source that ships inside
# node-llama-cpp's npm package (llama/gitRelease.bundle), once, into an ignored cache folder.
# Used only by bench:latency as a peer on loopback. Slow on 2 cores (~10-20 min); reused after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Default cache: per machine and per llama.cpp version (the one node-llama-cpp ships), outside the
# checkout, so fresh clones (CI) on the same machine reuse the build like npm reuses its cache.
LLAMA_VERSION=$(node -p "require('$ROOT/node_modules/node-llama-cpp/package.json').version")
OUT=${PEER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/local-code-completion/llama-server-$LLAMA_VERSION}
BIN=$OUT/build/bin/llama-server
# --path: only say where the binary is (or will be), build nothing: the one place that knows it.
if [ "${1:-}" = --path ]; then echo "$BIN"; exit 0; fi
# Tuned to this CPU's instruction sets, read from /proc/cpuinfo, except AMX: these VMs advertise
# amx_tile/amx_int8 but trap on them (SIGILL in tinygemm_kernel_amx with -march=native, seen here),
# and node-llama-cpp's prebuilt runs without them. The build is keyed on the flags it used.
FLAGS=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { [[ "$FLAGS" == *" $1 "* ]] && echo ON || echo OFF; }
ISA=(-DGGML_NATIVE=OFF -DGGML_AVX="$(has avx)" -DGGML_AVX2="$(has avx2)" -DGGML_FMA="$(has fma)" -DGGML_F16C="$(has f16c)"
  -DGGML_BMI2="$(has bmi2)" -DGGML_AVX_VNNI="$(has avx_vnni)" -DGGML_AVX512="$(has avx512f)" -DGGML_AVX512_VBMI="$(has avx512vbmi)"
  -DGGML_AVX512_VNNI="$(has avx512_vnni)" -DGGML_AVX512_BF16="$(has avx512_bf16)" -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF)
CPU=$(echo "${ISA[*]}" | md5sum | cut -c1-12)
if [ -x "$BIN" ] && [ "$(cat "$OUT/build/cpu-flags" 2>/dev/null)" = "$CPU" ]; then echo "$BIN"; exit 0; fi
mkdir -p "$OUT"
if [ ! -d "$OUT/llama.cpp" ]; then
  git clone -q "$ROOT/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$OUT/llama.cpp"
fi
cmake -S "$OUT/llama.cpp" -B "$OUT/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF "${ISA[@]}" -DBUILD_SHARED_LIBS=OFF > "$OUT/cmake.log" 2>&1
cmake --build "$OUT/build" --target llama-server -j "${JOBS:-$(nproc)}" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
echo "$CPU" > "$OUT/build/cpu-flags"
echo "$BIN"
