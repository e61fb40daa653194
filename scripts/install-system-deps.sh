#!/usr/bin/env bash
# Debian packages the system suite needs. Idempotent: installs only what is missing.
set -euo pipefail
packages=()
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || packages+=("$pkg")
done
if [ "${#packages[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
