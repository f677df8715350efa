#!/usr/bin/env bash
# Install the pinned npm packages the browser tests and benchmarks use (axe-core, lighthouse)
# when node_modules is missing or older than package-lock.json.
set -euo pipefail
[ -f package.json ] || exit 0
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's nodejs and npm for the accessibility tests ..." >&2
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "error: npm not found. Debian/Ubuntu: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
fi
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
