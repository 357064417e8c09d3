#!/usr/bin/env bash
# Gets the held-out repositories of the real-weights bench (none was used to develop this project)
# at the commits measured, into /work/data/real (or $REAL_DATA). Clones from GitHub, or from a local
# mirror when $REAL_MIRRORS names a folder of <owner>+<name>/repo git directories.
set -euo pipefail
DATA=${REAL_DATA:-/work/data/real}
mkdir -p "$DATA"
while read -r name url commit; do
  [ -d "$DATA/$name" ] && continue
  slug=${url#https://github.com/}
  src=$url
  [ -n "${REAL_MIRRORS:-}" ] && [ -d "$REAL_MIRRORS/${slug/\//+}/repo" ] && src="$REAL_MIRRORS/${slug/\//+}/repo"
  git clone -q "$src" "$DATA/$name" && git -C "$DATA/$name" checkout -q "$commit"
done <<'LIST'
ky https://github.com/sindresorhus/ky 3419113b48e034fdcf8fa6bd3be3da7b3d0d758f
axios https://github.com/axios/axios 23a25af0688d1db2c396deb09229d2271cc24f6c
requests https://github.com/psf/requests 1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e
chi https://github.com/go-chi/chi 735ae2b87f8c733d616e809ae86e0985c1bc3350
LIST
