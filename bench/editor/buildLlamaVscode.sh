#!/usr/bin/env bash
# Builds llama.vscode (the peer extension) into a VSIX from a checkout of its public source that
# lives OUTSIDE this repository (none of its code is kept here), once per commit, into a cache.
# Usage: bash bench/editor/buildLlamaVscode.sh SRC        prints the VSIX path (last line)
#   SRC: a work tree of llama.vscode, or a bare git dir of it (then a work tree is checked out
#        next to the cache). Env: LLAMA_VSCODE_CACHE (default ~/.cache/local-code-completion/llama-vscode).
# Steps (the extension's own): npm install --ignore-scripts (its postinstall builds a web UI for
# its chat view, not needed for completions), its `bundle` script (esbuild), an empty ui/dist so
# that packaging finds the folder, vsce package --no-dependencies (the bundle holds its deps).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=${1:?usage: buildLlamaVscode.sh <llama.vscode checkout or bare git dir>}
CACHE=${LLAMA_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/local-code-completion/llama-vscode}
[ -d "$SRC" ] || { echo "llama.vscode source not found at $SRC" >&2; exit 2; }
mkdir -p "$CACHE"
if [ "$(git -C "$SRC" rev-parse --is-bare-repository 2>/dev/null)" = true ]; then
  COMMIT=$(git -C "$SRC" rev-parse HEAD)
  TREE=$CACHE/src-$COMMIT
  [ -d "$TREE" ] || git clone -q "$SRC" "$TREE"
  SRC=$TREE
fi
case "$(cd "$SRC" && pwd)/" in "$ROOT"/*) echo "refusing to build inside this repository: check llama.vscode out elsewhere" >&2; exit 2 ;; esac
COMMIT=$(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo unknown)
VERSION=$(node -p "require('$SRC/package.json').version")
VSIX=$CACHE/llama-vscode-$VERSION-${COMMIT:0:12}.vsix
if [ -f "$VSIX" ]; then echo "$VSIX"; exit 0; fi
LOG=$CACHE/build-${COMMIT:0:12}.log
{
  cd "$SRC"
  echo "== npm install --ignore-scripts"; npm install --ignore-scripts --no-audit --no-fund
  echo "== npm run bundle"; npm run bundle
  mkdir -p ui/dist
  echo "== vsce package"; "$ROOT/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository --skip-license -o "$VSIX.tmp.vsix"
} > "$LOG" 2>&1 || { echo "llama.vscode build failed (log: $LOG):" >&2; tail -25 "$LOG" >&2; exit 1; }
mv "$VSIX.tmp.vsix" "$VSIX"
echo "$VSIX"
