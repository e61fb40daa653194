#!/usr/bin/env bash
# PostgreSQL and Redis for the system suite and the scaled-out topology, on machines that start
# no service. Idempotent: installs the Debian packages when missing, starts what is not answering,
# and leaves running what already answers.
#
#   PostgreSQL: the Debian cluster, trust authentication for 127.0.0.1 and ::1, database `test`,
#               at 127.0.0.1:${PGPORT:-5432} (system tests use postgres://postgres@127.0.0.1:5432/test).
#   Redis:      127.0.0.1:${REDIS_PORT:-6379}, no persistence, data in a temporary folder.
#
# `scripts/start-services.sh stop` stops both (what this script started).
set -euo pipefail
cd "$(dirname "$0")/.."

PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DIR="${REDIS_DIR:-/tmp/prompt-cards-redis}"

if [ "${1:-start}" = "stop" ]; then
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main stop >/dev/null 2>&1 || true
  done
  exit 0
fi

bash scripts/install-system-deps.sh postgresql redis-server

# PostgreSQL: the cluster Debian created with the package (it runs as the postgres user).
v=$(ls /etc/postgresql | sort -V | tail -1)
conf=/etc/postgresql/$v/main
if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
fi
if ! pg_isready -h 127.0.0.1 -p "$PGPORT" -q; then
  # The package's own start goes through systemd, which is absent here; pg_ctlcluster starts it.
  sed -i "s/^#\?port = .*/port = $PGPORT/" "$conf/postgresql.conf"
  pg_ctlcluster --skip-systemctl-redirect "$v" main start
fi
for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p "$PGPORT" -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -p "$PGPORT" -q || { echo "PostgreSQL did not start on 127.0.0.1:$PGPORT" >&2; exit 1; }
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc "select 1 from pg_database where datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "create database test"

# Redis: on loopback only, nothing written to disk.
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  mkdir -p "$REDIS_DIR"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log"
fi
for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "Redis did not start on 127.0.0.1:$REDIS_PORT" >&2; exit 1; }

echo "PostgreSQL $v at 127.0.0.1:$PGPORT (database test, trust), Redis at 127.0.0.1:$REDIS_PORT"
