#!/usr/bin/env bash
# Checks the monitoring configuration with the real tools (Debian prometheus and
# prometheus-alertmanager): config syntax, rules, rule unit tests, Alertmanager config.
set -euo pipefail
cd "$(dirname "$0")/.."
# --syntax-only: the secret files the config names exist only where it is deployed.
promtool check config --syntax-only monitoring/prometheus.yml
promtool check rules monitoring/rules/*.yml
promtool test rules monitoring/tests/*.test.yml
amtool check-config monitoring/alertmanager.yml
# The compose file interpolates with every required variable set, and refuses to without.
docker-compose --env-file monitoring/compose-check.env -f docker-compose.monitoring.yml config -q
if docker-compose --env-file /dev/null -f docker-compose.monitoring.yml config -q 2>/dev/null; then
  echo "docker-compose.monitoring.yml accepted missing secrets" >&2
  exit 1
fi
