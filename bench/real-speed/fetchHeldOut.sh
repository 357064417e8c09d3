#!/usr/bin/env bash
# Fetches bench:real's held-out code into $HELD_OUT_DIR (default /work/data/held), outside git:
# toolz 0.12.1 (PyPI sdist) and github.com/google/uuid v1.6.0 (Go module). Idempotent.
set -euo pipefail
DIR=${HELD_OUT_DIR:-/work/data/held}
mkdir -p "$DIR" && cd "$DIR"
if [ ! -d toolz-0.12.1 ]; then
  pip download --no-deps --no-binary :all: toolz==0.12.1 -d . >/dev/null
  tar xzf toolz-0.12.1.tar.gz
fi
if [ ! -d uuid ]; then
  SRC=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json github.com/google/uuid@v1.6.0 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  cp -r "$SRC" uuid && chmod -R u+w uuid
fi
echo "$DIR"
