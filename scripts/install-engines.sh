#!/usr/bin/env bash
# Installs the engines the system suite runs for real, from the manifests under engines/ (never
# a downloaded binary): each engine goes into $ENGINE_CACHE_DIR/<name>-<hash of its manifests>,
# so a changed pin installs anew and an unchanged one costs nothing. The tests find an engine at
# the same path (test/support/engine-cache.ts computes the same hash).
#
#   kafka          engines/kafka/pom.xml: org.apache.kafka:kafka_2.13 and its runtime jars (Maven)
#   mlflow         engines/mlflow/requirements-mlflow.txt: a Python venv with `mlflow server`
#   schemathesis   engines/schemathesis/requirements-schemathesis.txt: a venv with `st`
#   jaeger         engines/jaeger/go.mod + go.sum: `jaeger` (v2) built from its Go module
#   elasticsearch  engines/elasticsearch/pom.xml: OpenSearch's min distribution (Maven)
#
# Usage: scripts/install-engines.sh [engine ...]   (no argument: every folder of engines/)
# Environment: ENGINE_CACHE_DIR (default /var/cache/prompt-card-system-engines).
# Needs: mvn + JDK 17, python3 (venv), go. Safe to run concurrently (one lock per engine).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache="${ENGINE_CACHE_DIR:-/var/cache/prompt-card-system-engines}"
mkdir -p "$cache"

# The cache key: the engine's manifests, in name order (as engine-cache.ts reads them).
engine_dir() {
  local hash
  hash=$(find "engines/$1" -maxdepth 1 -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
  echo "$cache/$1-$hash"
}

install_kafka() {
  (cd "$root/engines/kafka" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$1/libs")
}

install_venv() { # <dir> <requirements>
  python3 -m venv "$1/venv"
  "$1/venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$2"
}

install_jaeger() {
  (cd "$root/engines/jaeger" && GOFLAGS=-mod=mod GOBIN="$1/bin" go install github.com/jaegertracing/jaeger/cmd/jaeger)
}

install_elasticsearch() {
  (cd "$root/engines/elasticsearch" && mvn -q -B -Dstyle.color=never dependency:unpack -DoutputDirectory="$1")
}

install_one() {
  local name=$1 dir
  dir=$(engine_dir "$name")
  exec 9>"$cache/.lock-$name"
  flock 9
  if [ -f "$dir/.complete" ]; then
    echo "$name: cached at $dir"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  local started=$SECONDS
  case "$name" in
    kafka) install_kafka "$dir" ;;
    mlflow) install_venv "$dir" "$root/engines/mlflow/requirements-mlflow.txt" ;;
    schemathesis) install_venv "$dir" "$root/engines/schemathesis/requirements-schemathesis.txt" ;;
    jaeger) install_jaeger "$dir" ;;
    elasticsearch) install_elasticsearch "$dir" ;;
    *) echo "unknown engine: $name" >&2; return 2 ;;
  esac
  touch "$dir/.complete"
  echo "$name: installed at $dir in $((SECONDS - started)) s"
}

engines=("$@")
[ "${#engines[@]}" -gt 0 ] || mapfile -t engines < <(ls engines)
for name in "${engines[@]}"; do
  [ -d "engines/$name" ] || { echo "no manifest folder engines/$name" >&2; exit 2; }
  install_one "$name"
done
