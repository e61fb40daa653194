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
#   elasticsearch  engines/elasticsearch/pom.xml: Elasticsearch's integ-test-zip (Maven), run as
#                  the system user pcs-engine (created here when root: Elasticsearch refuses root)
#   pino-elasticsearch  engines/pino-elasticsearch/package*.json: the log shipper (npm)
#
# Usage: scripts/install-engines.sh [engine ...]   (no argument: every folder of engines/)
# Environment: ENGINE_CACHE_DIR (default /var/cache/prompt-card-system-engines).
# Needs: mvn + JDK 17 (JDK 25 to run Elasticsearch), python3 (venv), go, npm. Safe to run concurrently (one lock per engine).
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
  (cd "$root/engines/elasticsearch" && mvn -q -B -Dstyle.color=never dependency:unpack -DoutputDirectory="$1" -DmarkersDirectory="$1/.markers")
}

install_shipper() {
  cp "$root/engines/pino-elasticsearch/package.json" "$root/engines/pino-elasticsearch/package-lock.json" "$1/"
  (cd "$1" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
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
    pino-elasticsearch) install_shipper "$dir" ;;
    *) echo "unknown engine: $name" >&2; return 2 ;;
  esac
  touch "$dir/.complete"
  echo "$name: installed at $dir in $((SECONDS - started)) s"
}

if [ "$(id -u)" = 0 ] && ! id pcs-engine >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin pcs-engine
fi

engines=("$@")
[ "${#engines[@]}" -gt 0 ] || mapfile -t engines < <(ls engines)
for name in "${engines[@]}"; do
  [ -d "engines/$name" ] || { echo "no manifest folder engines/$name" >&2; exit 2; }
  install_one "$name"
done
